#!/usr/bin/env python3
"""A PHI-free clinical corpus: ``clean.jsonl``, to count the detector's false positives.

Every line has ``"spans": []``: nothing in it is a personal identifier, so every
detection on it is a false positive. Written without reading the detector's
source or its word lists.

What it holds (and what it avoids):

* No person names, no dates of any kind (no years, months, weekdays, clock
  times, "today"/"tomorrow"), no ages over 89, no phone, fax, e-mail, URL, IP
  or record numbers, no street, city, ZIP or facility names. ``check()``
  asserts the mechanical part of this (no month or weekday word, no four-digit
  year-like number, no "@", "http", "www", no slash form that reads as a
  date such as 3/14, no age of 90 or more written next to yo/year-old).
* What it does hold, to be hard for a detector that guesses names from
  capitalised words: drug brand and generic names (capitalised, mid-sentence,
  at sentence start, in slash lists); eponyms (signs, tests, scores, diseases,
  procedures, devices, positions), including eponyms that carry a given name
  (Arnold-Chiari, Pierre Robin); organisms (Morganella morganii, Citrobacter
  freundii, Salmonella); departments and services in Title Case; generic
  facility words ("the ED", "the ICU", "rehab", "SNF"); headers in Title Case
  and ALL CAPS; English words that are also surnames or given names at
  sentence start ("Will follow up", "Drew labs", "Frank blood", "Rose from
  chair", "Hope to extubate", "Walker at bedside", "Bishop score"); vitals and
  labs (BP 132/84, T 101.2); abbreviations; texting-style lower case; and
  questions a clinician would type to an assistant.

Templates are filled from the lists below by engine.py (``lower|`` lower-cases
a template, ``upper|`` upper-cases it). Deterministic (fixed seed, no Faker).

    python3 phi/corpus/clean.py
"""

import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import engine  # noqa: E402

SEED = 20261208
TARGET = 1200
MAX_USES = 6  # filled sentences per slotted template

BRANDS = [
    "Keppra", "Eliquis", "Zosyn", "Tylenol", "Motrin", "Lasix", "Bumex", "Coreg", "Lopressor",
    "Toprol", "Norvasc", "Lipitor", "Crestor", "Plavix", "Brilinta", "Xarelto", "Coumadin",
    "Lovenox", "Rocephin", "Unasyn", "Flagyl", "Cipro", "Levaquin", "Bactrim", "Keflex",
    "Augmentin", "Zithromax", "Protonix", "Pepcid", "Zofran", "Reglan", "Colace", "Miralax",
    "Dulcolax", "Toradol", "Dilaudid", "Percocet", "Norco", "Oxycontin", "Narcan", "Ativan",
    "Valium", "Versed", "Precedex", "Levophed", "Solu-Medrol", "Decadron", "Synthroid",
    "Lantus", "Humalog", "Novolog", "Jardiance", "Farxiga", "Ozempic", "Trulicity", "Entresto",
    "Cardizem", "Benadryl", "Claritin", "Zyrtec", "Singulair", "DuoNeb", "Spiriva", "Advair",
    "Symbicort", "Flonase", "Neurontin", "Lyrica", "Flomax", "Proscar", "Ambien", "Remeron",
    "Wellbutrin", "Suboxone", "Librium", "Zyvox", "Diflucan", "Valtrex", "Tamiflu", "Paxlovid",
    "Kcentra", "Humira", "Remicade", "Keytruda", "Opdivo", "Herceptin", "Gleevec", "Mucinex",
    "Tessalon", "Imodium", "Lomotil", "Xifaxan", "Kayexalate", "Lokelma", "Renvela", "Sensipar",
    "Epogen", "Neupogen", "Aranesp", "Sandostatin", "Ancef", "Nexium", "Prilosec", "Zoloft",
    "Lexapro", "Celexa", "Cymbalta", "Seroquel", "Haldol", "Zyprexa", "Risperdal", "Depakote",
    "Lamictal", "Tegretol", "Dilantin", "Vimpat", "Abilify", "Xanax", "Klonopin", "Effexor",
    "Aldactone", "Imdur", "Nitrostat", "Lanoxin", "Pradaxa", "Januvia", "Glucophage",
    "Victoza", "Premarin", "Depo-Provera", "Pitocin", "Cytotec", "Methergine", "Medrol",
    "Cellcept", "Prograf", "Bactroban", "Silvadene", "Kenalog", "Voltaren", "Mobic", "Celebrex",
    "Robaxin", "Flexeril", "Zanaflex", "Ultram", "Fioricet", "Imitrex", "Topamax", "Aricept",
    "Namenda", "Sinemet", "Requip", "Mirapex", "Detrol", "Ditropan", "Pyridium", "Macrobid",
]
GENERICS = [
    "vancomycin", "cefepime", "ceftriaxone", "meropenem", "piperacillin-tazobactam",
    "metronidazole", "levetiracetam", "apixaban", "rivaroxaban", "warfarin", "enoxaparin",
    "heparin", "furosemide", "metoprolol", "carvedilol", "amlodipine", "lisinopril",
    "losartan", "atorvastatin", "aspirin", "clopidogrel", "pantoprazole", "ondansetron",
    "acetaminophen", "ibuprofen", "ketorolac", "hydromorphone", "oxycodone", "morphine",
    "fentanyl", "naloxone", "lorazepam", "diazepam", "midazolam", "dexmedetomidine",
    "propofol", "norepinephrine", "vasopressin", "epinephrine", "phenylephrine",
    "methylprednisolone", "dexamethasone", "prednisone", "hydrocortisone", "levothyroxine",
    "insulin glargine", "insulin lispro", "metformin", "empagliflozin", "semaglutide",
    "spironolactone", "digoxin", "amiodarone", "diltiazem", "albuterol", "ipratropium",
    "gabapentin", "tamsulosin", "trazodone", "mirtazapine", "buprenorphine", "methadone",
    "thiamine", "folic acid", "magnesium sulfate", "potassium chloride", "lactulose",
    "rifaximin", "daptomycin", "linezolid", "fluconazole", "micafungin", "acyclovir",
    "oseltamivir", "tranexamic acid", "alteplase", "nitroglycerin", "labetalol",
    "hydralazine", "haloperidol", "quetiapine", "olanzapine", "sertraline", "escitalopram",
    "valproate", "lacosamide", "phenytoin", "octreotide", "sucralfate", "famotidine",
]
DRUGS = BRANDS + [g[0].upper() + g[1:] for g in GENERICS]

EPONYM_SIGNS = [
    "Babinski sign", "Murphy's sign", "Kernig sign", "Brudzinski sign", "Homan's sign",
    "Romberg sign", "Trendelenburg sign", "Chvostek sign", "Trousseau sign", "McBurney point tenderness",
    "Rovsing sign", "Cullen sign", "Grey Turner sign", "Kehr sign", "Hoffmann sign",
    "Tinel sign", "Phalen test", "Finkelstein test", "Spurling test", "Lachman test",
    "McMurray test", "Allen test", "Dix-Hallpike", "Weber test", "Rinne test",
    "Thompson test", "Apley grind test", "Hawkins test", "Neer test", "Kussmaul respirations",
    "Cheyne-Stokes breathing", "Levine sign", "Beck triad", "Virchow node", "Osler nodes",
    "Janeway lesions", "Roth spots", "Koplik spots", "Nikolsky sign", "Auspitz sign",
    "Gower sign", "Ortolani maneuver", "Barlow maneuver", "Kocher maneuver", "Valsalva maneuver",
]
EPONYM_DISEASES = [
    "Crohn's disease", "Graves' disease", "Hashimoto's thyroiditis", "Addison's disease",
    "Cushing's syndrome", "Sjögren's syndrome", "Guillain-Barré syndrome",
    "Wolff-Parkinson-White", "Stevens-Johnson syndrome", "Kawasaki disease", "Bell's palsy",
    "Barrett's esophagus", "Meckel's diverticulum", "Osgood-Schlatter disease",
    "Legg-Calvé-Perthes disease", "Hodgkin lymphoma", "non-Hodgkin lymphoma",
    "Parkinson's disease", "Alzheimer's dementia", "Huntington's disease", "Raynaud's phenomenon",
    "Wegener's granulomatosis", "Takayasu arteritis", "Behçet's disease", "Still's disease",
    "Paget's disease of bone", "Dupuytren's contracture", "Peyronie's disease",
    "Hirschsprung disease", "Wilms tumor", "Ewing sarcoma", "Kaposi sarcoma",
    "Mallory-Weiss tear", "Zenker's diverticulum", "Budd-Chiari syndrome",
    "Arnold-Chiari malformation", "Dandy-Walker malformation", "Charcot-Marie-Tooth disease",
    "Ehlers-Danlos syndrome", "Marfan syndrome", "Turner syndrome", "Down syndrome",
    "Klinefelter syndrome", "Tourette syndrome", "Wernicke encephalopathy",
    "Korsakoff syndrome", "Takotsubo cardiomyopathy", "Brugada pattern", "Prinzmetal angina",
    "Ludwig's angina", "Fournier's gangrene", "Reiter's syndrome", "Reye syndrome",
    "Baker's cyst", "Morton's neuroma", "de Quervain tenosynovitis", "Brown-Séquard syndrome",
    "Horner syndrome", "Ménière's disease", "Tietze syndrome", "Gilbert syndrome",
    "Dressler syndrome", "Conn syndrome", "Sheehan syndrome", "Pierre Robin sequence",
    "Lambert-Eaton syndrome", "Whipple disease", "Von Willebrand disease",
    "Osler-Weber-Rendu syndrome", "Zollinger-Ellison syndrome", "Lesch-Nyhan syndrome",
]
EPONYM_PROCS = [
    "Whipple procedure", "Nissen fundoplication", "Roux-en-Y gastric bypass", "Hartmann procedure",
    "Billroth II", "Heller myotomy", "Kasai procedure", "Ross procedure", "Bentall procedure",
    "Fontan", "Glenn shunt", "Norwood procedure", "Ravitch procedure", "Nuss procedure",
    "Lichtenstein repair", "Shouldice repair", "Ponseti casting", "Latarjet", "Bankart repair",
    "Mohs surgery", "Heimlich maneuver", "Epley maneuver", "Seldinger technique",
    "Pfannenstiel incision", "Kocher incision", "Chevron incision", "LEEP", "Sengstaken-Blakemore tube",
]
DEVICES = [
    "Foley", "Swan-Ganz catheter", "Hickman line", "Broviac", "Port-a-Cath", "Jackson-Pratt drain",
    "Penrose drain", "Blake drain", "Ambu bag", "Venturi mask", "Yankauer", "Holter monitor",
    "Doppler", "Pleur-evac", "Dobhoff tube", "Salem sump", "Quinton catheter", "Tenckhoff catheter",
    "Miami J collar", "Aspen collar", "Boston brace", "Thomas splint", "Hoyer lift",
    "Bair Hugger", "Impella", "Mepilex dressing", "Tegaderm", "Xeroform", "Kerlix", "Coban",
    "Ace wrap", "Steri-Strips", "Dermabond", "Wound VAC", "LifeVest", "Passy-Muir valve",
    "Shiley trach", "Montgomery straps", "Frenzel goggles", "Snellen chart",
]
LINES = ["Swan-Ganz catheter", "Hickman line", "Broviac", "Port-a-Cath", "Quinton catheter",
         "PICC", "R IJ CVC", "Tenckhoff catheter"]
TUBES = ["Foley", "Dobhoff tube", "Salem sump", "Swan-Ganz catheter", "Shiley trach", "Impella",
         "NG tube", "ETT", "Port-a-Cath", "Hickman line"]
DRAINS = ["Jackson-Pratt drain", "Penrose drain", "Blake drain", "Pleur-evac", "Foley", "Wound VAC",
          "JP", "chest tube"]
MOBILITY = ["walker", "Walker", "cane", "Hoyer lift", "Aspen collar", "Miami J collar", "Boston brace",
            "gait belt", "rolling walker", "quad cane"]
DRESSINGS = ["Mepilex dressing", "Tegaderm", "Xeroform", "Kerlix", "Coban", "Ace wrap", "Steri-Strips",
             "Wound VAC", "Montgomery straps", "Aquacel"]
O2 = ["Venturi mask", "BiPAP", "nasal cannula", "non-rebreather", "Optiflow", "high-flow nasal cannula"]
UNITS = ["the ED", "the ICU", "the MICU", "the SICU", "the CCU", "the NICU", "the PICU", "the floor",
         "step-down", "PACU", "telemetry", "the burn unit", "L&D"]
DISPO = ["rehab", "SNF", "acute rehab", "home with VNA", "LTACH", "home", "hospice", "inpatient psych"]
DRUGDOSE = [
    "Keppra 500 mg BID", "Eliquis 5 mg BID", "Zosyn 4.5 g IV q8h", "Tylenol 650 mg PO q6h",
    "Motrin 600 mg PO q6h", "Lasix 40 mg IV BID", "Bumex 1 mg IV BID", "Coreg 6.25 mg BID",
    "Lopressor 25 mg PO BID", "Toprol XL 50 mg daily", "Norvasc 10 mg daily", "Lipitor 80 mg nightly",
    "Plavix 75 mg daily", "Xarelto 20 mg with dinner", "Lovenox 1 mg/kg subcut BID",
    "Rocephin 1 g IV q24h", "Unasyn 3 g IV q6h", "Flagyl 500 mg PO TID", "Bactrim DS 1 tab BID",
    "Keflex 500 mg QID", "Augmentin 875 mg BID", "Protonix 40 mg IV BID", "Zofran 4 mg IV q6h PRN",
    "Reglan 10 mg IV q6h", "Dilaudid 0.5 mg IV q3h PRN", "Norco 5/325 1 tab q6h PRN",
    "Ativan 1 mg IV q4h PRN", "Narcan 0.4 mg IV PRN", "Solu-Medrol 125 mg IV once",
    "Decadron 10 mg IV", "Synthroid 75 mcg daily", "Lantus 18 units at bedtime",
    "Humalog 4 units with meals", "Jardiance 10 mg daily", "Entresto 24/26 mg BID",
    "Cardizem 10 mg IV push", "Benadryl 25 mg PO PRN itching", "DuoNeb q4h", "Neurontin 300 mg TID",
    "Flomax 0.4 mg nightly", "Seroquel 25 mg at bedtime", "Haldol 2 mg IV once", "Depakote 500 mg BID",
    "vancomycin 15 mg/kg IV q12h", "cefepime 2 g IV q8h", "meropenem 1 g IV q8h",
    "heparin 5000 units subcut TID", "metoprolol 12.5 mg PO BID", "amiodarone 200 mg daily",
    "prednisone 40 mg daily", "potassium chloride 40 mEq PO", "magnesium sulfate 2 g IV",
    "thiamine 500 mg IV TID", "lactulose 30 mL TID", "ondansetron 4 mg IV PRN",
    "acetaminophen 1 g PO q8h", "oxycodone 5 mg q4h PRN", "Suboxone 8/2 mg daily",
    "Librium 25 mg q6h", "Zyvox 600 mg IV q12h", "Diflucan 400 mg daily", "Tamiflu 75 mg BID",
]

SCORES = [
    "Glasgow Coma Scale 14", "GCS 15", "Apgar 8 and 9", "Bishop score 7", "Wells score 4",
    "Ranson criteria 3", "Child-Pugh class B", "MELD 22", "Gleason 3+4", "Breslow depth 1.2 mm",
    "Clark level III", "Tanner stage 3", "Mallampati II", "CHA2DS2-VASc 4", "HAS-BLED 2",
    "CURB-65 of 2", "qSOFA 2", "NIHSS 6", "Braden 14", "Morse fall score 45", "RASS -2",
    "CAM-ICU negative", "PHQ-9 of 14", "GAD-7 of 9", "CIWA 12", "COWS 8", "Aldrete 9",
    "ASA class III", "Killip class II", "NYHA class III", "TIMI 3", "HEART score 5",
    "Hunt and Hess grade 2", "Fisher grade 3", "Spetzler-Martin grade 2", "Salter-Harris II",
    "Weber B", "Garden III", "Gustilo IIIA", "Schatzker II", "Rockall 4", "Blatchford 6",
    "Centor 3", "PERC negative", "Caprini 5", "Padua 4", "Karnofsky 60", "ECOG 2",
    "Denver II normal", "Ballard 36 weeks", "Duke criteria", "Light's criteria", "Beers criteria",
]
ORGANISMS = [
    "E. coli", "H. pylori", "C. diff", "S. aureus", "MRSA", "MSSA", "VRE", "Klebsiella pneumoniae",
    "Pseudomonas aeruginosa", "Enterococcus faecalis", "Candida albicans", "Candida glabrata",
    "Streptococcus pyogenes", "Strep pneumoniae", "Staph epi", "Serratia marcescens",
    "Proteus mirabilis", "Enterobacter cloacae", "Acinetobacter baumannii",
    "Stenotrophomonas maltophilia", "Bacteroides fragilis", "Listeria monocytogenes",
    "Neisseria gonorrhoeae", "Chlamydia trachomatis", "Mycobacterium tuberculosis",
    "Pneumocystis jirovecii", "Aspergillus fumigatus", "Cryptococcus neoformans",
    "Haemophilus influenzae", "Moraxella catarrhalis", "Legionella", "Citrobacter freundii",
    "Morganella morganii", "Burkholderia cepacia", "Clostridioides difficile",
    "Bordetella pertussis", "Borrelia burgdorferi", "Salmonella", "Shigella", "Campylobacter",
    "Epstein-Barr virus", "Group B Strep", "Gardnerella", "Trichomonas", "Nocardia", "Actinomyces",
]
STAINS = ["Gram stain", "Ziehl-Neelsen stain", "Wright stain", "Giemsa stain", "Pap smear",
          "KOH prep", "India ink", "Congo red stain", "Prussian blue stain", "acid-fast stain"]
SERVICES = [
    "Cardiology", "Interventional Radiology", "Palliative Care", "Social Work", "Case Management",
    "Nephrology", "GI", "Infectious Disease", "Hematology/Oncology", "Neurosurgery",
    "Physical Therapy", "Occupational Therapy", "Speech Language Pathology", "Nutrition",
    "Pharmacy", "Wound Care", "Spiritual Care", "Pulmonology", "Endocrinology", "Rheumatology",
    "General Surgery", "Orthopedics", "Urology", "Psychiatry", "Neurology", "Vascular Surgery",
    "Hospital Medicine", "Transplant Surgery", "Trauma Surgery", "Anesthesia", "ENT",
    "Dermatology", "Ophthalmology", "Pain Management", "Addiction Medicine", "Geriatrics",
    "Child Life", "Lactation", "Respiratory Therapy", "Hospice", "Ethics", "Rapid Response",
]
PLACES = ["the ED", "the ICU", "the MICU", "the SICU", "the CCU", "the NICU", "the PICU", "rehab",
          "SNF", "the floor", "step-down", "PACU", "the cath lab", "the OR", "IR suite",
          "L&D", "the dialysis unit", "acute rehab", "home with VNA", "LTACH", "urgent care",
          "the infusion center", "pre-op holding", "the burn unit", "telemetry"]
LABS = ["Troponin", "BNP", "Procalcitonin", "Lactate", "Lipase", "TSH", "Free T4", "HbA1c",
        "D-dimer", "Ferritin", "CRP", "ESR", "INR", "PTT", "Fibrinogen", "Haptoglobin", "LDH",
        "Ammonia", "CK", "Magnesium", "Phosphorus", "Ionized calcium", "Albumin", "Bilirubin",
        "Cortisol", "Beta-hCG", "PSA", "CEA", "CA-125", "Anti-Xa", "Vitamin D", "B12", "Folate"]
LABVALS = ["K 3.2", "Na 128", "Cr 1.4", "BUN 42", "Hgb 7.8", "WBC 14.2", "Plt 88", "INR 2.3",
           "Lactate 4.1", "Trop 0.08", "Glucose 312", "Mg 1.6", "Phos 2.1", "Ca 8.1", "HCO3 18",
           "AST 88", "ALT 102", "Alk phos 240", "T bili 3.4", "Lipase 900", "pH 7.29",
           "pCO2 58", "Anion gap 19", "BNP 1450", "Hct 24", "Ferritin 12", "TSH 8.9"]
VITALS = ["BP 132/84", "BP 88/52", "BP 168/94", "BP 104/66", "HR 112", "HR 58", "RR 24", "RR 16",
          "SpO2 91% on 4L NC", "SpO2 97% RA", "T 38.4", "T 101.2", "Tmax 102.3", "MAP 62",
          "CVP 12", "UOP 30 mL/hr", "Wt up 2 kg", "FSBG 240", "sats 88% on RA", "EtCO2 38"]
DOSES = ["500 mg BID", "1 g IV q8h", "4 mg IV q6h PRN", "40 mg PO daily", "25 mg PO BID",
         "2.5 mg BID", "0.5 mg IV once", "12.5 mg PO TID", "1 mg SL q4h PRN", "80 mg IV BID",
         "10 units subcut at bedtime", "5 mg PO nightly", "650 mg PO q6h", "2 mg IV push",
         "0.4 mg IV x1", "50 mcg/hr", "100 mg PO daily", "1.5 g IV q12h", "20 mEq PO x2",
         "750 mg IV q24h", "30 mL PO TID", "15 mg/kg IV q12h", "8 mg ODT q8h PRN"]
REASONS = ["the procedure", "the biopsy", "the paracentesis", "the LP", "surgery", "the EGD",
           "the thoracentesis", "the cath", "rising creatinine", "the bleed", "hypotension",
           "the line placement", "bradycardia", "a platelet count of 40", "the epidural"]
PROBLEMS = ["NSTEMI", "HFrEF", "HFpEF", "AKI on CKD 3b", "COPD exacerbation", "DKA", "HHS",
            "CAP", "HCAP", "UTI", "cellulitis", "SBO", "pancreatitis", "GI bleed", "PE", "DVT",
            "afib with RVR", "sepsis", "septic shock", "ARDS", "CVA", "TIA", "SAH", "ICH",
            "alcohol withdrawal", "hepatic encephalopathy", "SBP", "hyponatremia", "hyperkalemia",
            "syncope", "chest pain", "cholecystitis", "appendicitis", "diverticulitis",
            "osteomyelitis", "endocarditis", "pyelonephritis", "CHF exacerbation", "status asthmaticus",
            "new-onset seizure", "delirium", "failure to thrive", "hip fracture", "SVT", "STEMI"]
HEADERS = ["HISTORY OF PRESENT ILLNESS", "ASSESSMENT AND PLAN", "REVIEW OF SYSTEMS",
           "PAST MEDICAL HISTORY", "PHYSICAL EXAM", "HOSPITAL COURSE", "DISCHARGE MEDICATIONS",
           "IMPRESSION", "FINDINGS", "PROCEDURE", "INDICATIONS", "ALLERGIES", "SOCIAL HISTORY",
           "Assessment And Plan", "History Of Present Illness", "Chief Complaint",
           "Hospital Course", "Plan Of Care", "Follow-Up Instructions", "Pertinent Results",
           "Estimated Blood Loss", "Post-Op Diagnosis", "Disposition", "Code Status",
           "Review Of Systems", "Medication Reconciliation", "Interval History", "Subjective",
           "Objective", "Brief Operative Note", "Nursing Assessment", "Pharmacy Note"]
AGE = [str(a) for a in (19, 24, 31, 38, 45, 52, 57, 63, 67, 71, 74, 78, 82, 86, 89)]
SEX = ["M", "F", "male", "female", "man", "woman"]
# Words that are also surnames or given names, at sentence start or mid-sentence.
WORDTRAPS = [
    "Will follow up with {svc} in clinic.", "Will recheck {lab} in the morning.",
    "Drew labs off the art line: {labval}, {labval}.", "Drew blood cultures x2 before {drug}.",
    "Frank blood noted in the Foley bag; CBI started.", "Frank pus expressed from the wound.",
    "Rose from chair without assistance, gait steady.", "Rose to standing with {mobility} and 1 assist.",
    "Hope to extubate after SBT this AM.", "Hope to wean {drug} overnight.",
    "Mark the site before transfer to {pick:the OR;IR suite;the cath lab;pre-op holding}.", "Mark the incision with a skin marker.",
    "Bill insurance for the rental DME.", "Price of {drug} is a barrier; Pharmacy to look into coupons.",
    "Young adult with {problem}, otherwise healthy.", "Bishop score 8, proceeding with Pitocin.",
    "Walker at bedside; ambulated 150 ft with {mobility}.", "Grant application for the wound VAC rental was filed by Case Management.",
    "Brown stool, guaiac negative.", "Black tarry stool x2 overnight.", "Green sputum, {organism} on culture.",
    "Gray-white matter differentiation preserved.", "White count trending down on {drug}.",
    "Long-acting insulin held for NPO status.", "Short of breath on exertion, {vital}.",
    "Little improvement after {drug}.",
    "Major bleeding risk discussed; {pick:HAS-BLED 3;HAS-BLED 4;Rockall 5;Blatchford 9}.", "Chase the {lab} and call if elevated.",
    "Faith leader welcome to visit per patient request.", "Joy and relief expressed after family meeting.",
    "Sterling response to {drug}; off pressors.", "Hunter-Hurler phenotype not suspected by Genetics.",
    "Cliff-edge drop in platelets; HIT panel sent.", "Summer camp physical form completed.",
    "Miles walked daily before admission: about two.", "Baker's cyst on the left; Doppler negative for DVT.",
    "Sterling silver ring removed from the swollen finger.",
    "Art line placed by Anesthesia; {vital}.", "Jack up the head of bed to 30 degrees.",
    "Gene panel sent; Genetics to follow.", "Penny-sized ulcer on the heel, Wound Care consulted.",
    "Dawn phenomenon suspected; adjust {drug}.",
    "Patience with the weaning process is advised.", "Sky-high {lab}, repeat pending.",
]

T = []  # templates
def add(*ts):
    T.extend(ts)

# Progress notes / H&P fragments
add(
    "Started {drugdose} for {problem}.",
    "Held {brand} for {reason}.",
    "{brand} and {brand} continued.",
    "{brand}/{brand} alternating for fever.",
    "{drugdose}, {drugdose}, {drug} PRN.",
    "Home meds: {brand}, {brand}, {brand}, {generic}.",
    "{drug} switched to {drug} given {problem}.",
    "{generic} held; restart {brand} when {labval}.",
    "Continue {brand}. Hold {brand} if {vital}.",
    "{age} yo {sex} with PMH of {problem} and {disease}, presenting with {problem}.",
    "{age}-year-old {sex} with {disease}, on {brand}, admitted for {problem}.",
    "Pt is a {age} yo {sex} s/p {proc}, now with {problem}.",
    "{disease}, on {brand} at home. {sign} negative.",
    "Exam notable for positive {sign}; {sign} negative.",
    "Neuro: A&Ox3, PERRLA, {sign} absent, {score}.",
    "{sign} positive on the right. Concern for {problem}.",
    "Hx of {disease} and {disease}; followed by {svc}.",
    "Differential includes {disease}, {disease}, and {problem}.",
    "Labs: {labval}, {labval}, {labval}. {lab} pending.",
    "Vitals: {vital}, {vital}, {vital}.",
    "{score}. {score}.",
    "Cultures grew {organism}; narrowed to {drug}.",
    "Blood cx 2 of 2 bottles {organism}, sensitive to {generic}.",
    "Urine cx >100k {organism}; started {brand}.",
    "{stain} of the sputum showed many PMNs; culture with {organism}.",
    "{stain} negative. Final cultures no growth.",
    "{organism} bacteremia, ID following; TEE to r/o endocarditis.",
    "Assessment: {problem} in the setting of {disease}. Plan: {drugdose}, consult {svc}.",
    "{header}: {problem}, improving on {drug}.",
    "{header}\n{age} yo {sex} with {problem}. {vital}, {vital}. Started {brand}.",
    "Problem list:\n- {problem}\n- {disease}\n- {problem}",
    "# {problem}\n- cont {brand}\n- trend {lab}\n- {svc} following",
    "Hospital day 3. {problem} improving. {drug} tapered. Dispo {dispo} when cleared by {svc}.",
    "POD 2 s/p {proc}. {drain} in place. Tolerating clears. {vital}.",
    "CABG x3 in the past, EF 35%. On {brand} and {brand}.",
    "Transferred from {unit} to {unit} for {problem}.",
    "Seen in {pick:the ED;urgent care;the infusion center;pre-op holding} for {problem}; admitted to {unit}.",
    "{svc} recs: {drugdose}, repeat {lab}, f/u as outpatient.",
    "Discussed with {svc}, who recommend {proc}.",
    "{svc} consulted for {problem}. {svc} to see.",
    "Appreciate {svc} and {svc} input.",
    "{pick:GCS 8;GCS 10;GCS 12;RASS +3;CIWA 22} on arrival, improved to {pick:GCS 14;GCS 15;RASS 0;CIWA 6}.",
    "{disease} suspected; {lab} and {lab} sent.",
    "Known {disease}, s/p {proc}, on {brand}.",
)
# Orders
add(
    "Order: {drugdose}.",
    "ORDER: {drugdose} x 3 days.",
    "Start {generic} drip, titrate to MAP > 65.",
    "Discontinue {brand}. Start {drugdose}.",
    "NPO after midnight for {proc}.",
    "Insert {tube}. Strict I/Os.",
    "Consult {svc}: {problem}, please evaluate.",
    "{lab} q6h x3. {lab} in AM.",
    "Type and screen, {lab}, {lab}, CMP, CBC with diff.",
    "May give {brand} PRN nausea if QTc < 500.",
    "Hold {brand} for SBP < 100 or HR < 55.",
    "Fall precautions. Aspiration precautions. {pick:Yankauer;Ambu bag;Hoyer lift;walker} to bedside.",
    "Wean {drug} as tolerated; goal RASS 0 to -1.",
)
# Nursing notes
add(
    "Pt resting comfortably, {vital}, {vital}. {brand} given for pain with relief.",
    "{drain} draining serosanguinous fluid, 40 mL this shift.",
    "Repositioned q2h, {score}. Heels offloaded, {dressing} applied to sacrum.",
    "Patient in Fowler's position, {o2} on. Denies SOB.",
    "Placed in Trendelenburg for line placement; tolerated well.",
    "Pt ambulated in hall with {mobility} and PT. Tolerated well.",
    "{brand} given at bedtime per order. Pt asleep on rounds.",
    "Family at bedside, updated by {svc}. Questions answered.",
    "Skin intact except stage 2 on coccyx, {dressing} in place.",
    "PIV 20g L AC patent, flushed. {drain} to gravity.",
    "Nursing: {vital}, {vital}. Notified covering MD; {brand} given.",
    "Rapid Response called for {vital}; pt transferred to {unit}.",
    "{score}; bed alarm on, call light in reach.",
)
# Discharge instructions
add(
    "Take {drugdose} with food. Do not drive while taking {brand}.",
    "Stop taking {brand}. Start {brand} instead.",
    "Call your doctor if you have fever over 101, chest pain, or trouble breathing.",
    "You were treated for {problem}. Please continue {brand} until finished.",
    "Follow up with {svc} in 1 to 2 weeks. Keep the {dressing} dry.",
    "Do not take {brand} and {brand} together. Avoid alcohol.",
    "Resume {brand} in 48 hours if no bleeding.",
    "Discharge to {dispo}. Follow up with {svc} and {svc}.",
    "DISCHARGE INSTRUCTIONS: Take {brand} as directed. Return to the ED for {problem} symptoms.",
    "Your {drain} will be removed at your next visit with {svc}.",
    "Check your blood sugar before meals; use {brand} per the sliding scale.",
)
# Radiology impressions
add(
    "IMPRESSION: No acute intracranial abnormality. {disease} not excluded.",
    "IMPRESSION: Findings consistent with {problem}. Recommend {svc} consultation.",
    "Impression: {line} tip in the SVC. No pneumothorax.",
    "CT A/P: findings suggest {problem}. No free air.",
    "Doppler: no DVT in the bilateral lower extremities.",
    "CXR: {tube} in good position; bibasilar atelectasis.",
    "MRI brain: changes compatible with {disease}.",
    "US RUQ: sonographic {sign} positive, wall thickening, c/w cholecystitis.",
    "FINDINGS: {pick:Dobhoff tube;Salem sump;NG tube;OG tube} coiled in the stomach. IMPRESSION: reposition recommended.",
)
# Op note fragments
add(
    "PROCEDURE: {proc}. ANESTHESIA: General. EBL: 50 mL.",
    "Pre-op diagnosis: {problem}. Procedure: {proc}. Findings: {disease}.",
    "The patient was placed supine, prepped and draped. A {proc} was performed.",
    "{line} placed using Seldinger technique. Position confirmed by CXR.",
    "Drains: {drain} x1. Specimens: sent to Pathology.",
    "Timeout performed. Site marked. {drug} given prior to incision.",
    "Closed with 3-0 Vicryl and {pick:Steri-Strips;Dermabond;staples;Xeroform and Kerlix}. Counts correct x2.",
    "Pathology: {pick:Gleason 3+4;Gleason 4+4;Breslow depth 1.2 mm;Clark level III;Nottingham grade 2;Fuhrman grade 2}, margins negative.",
)
# Pharmacy notes
add(
    "Pharmacy: {brand} dose adjusted for CrCl 28. {lab} monitored.",
    "Pharmacy note: {generic} trough 14.2, continue current dose.",
    "Interaction: {brand} + {brand} may prolong QTc; ECG recommended.",
    "Renal dosing: {drugdose}. Therapeutic substitution for {brand} per formulary.",
    "Med rec: {brand}, {brand}, {brand}, {brand}, {generic}.",
    "Pharmacy to Pharmacy transfer of {brand} request sent.",
    "{brand} non-formulary; {generic} substituted.",
)
# Handoffs
add(
    "Handoff:\n- {problem}, on {brand}\n- watch {lab}\n- {svc} to see",
    "I-PASS: stable. {problem}. Action: f/u {lab}, titrate {drug}.",
    "SBAR: S: {vital}. B: {disease}. A: likely {problem}. R: {svc} eval.",
    "Sign-out: {age}{sex0} {problem}, {tube} in, {score}. If worse call {svc}.",
    "- {drugdose}\n- {drugdose}\n- {generic} PRN",
    "To do: f/u {lab}, {stain}, {organism} sensitivities.",
)
# Texting style
add(
    "lower|pt in rm 4 c/o cp, gave asa and {brand}",
    "lower|{brand} given, pt feels better, {vital}",
    "lower|can u order {brand} for bed 12, {problem}",
    "lower|{svc} says hold {brand}, ok?",
    "lower|fyi {lab} back, {labval}",
    "lower|pt refusing {brand} again, md aware",
    "lower|{organism} in blood cx, who wants to call {svc}",
    "lower|{pick:Foley;foley catheter;straight cath} out, pt voided",
    "lower|need {brand} order stat pls",
)
# ALL CAPS
add(
    "upper|{header}: {problem}. START {drugdose}.",
    "upper|HOLD {brand}. {sign} NEGATIVE.",
    "upper|{header}\n{disease}, {problem}.",
    "upper|NO KNOWN ALLERGIES. {brand} TOLERATED PREVIOUSLY.",
)
# Chat questions to an assistant
add(
    "What is the max dose of Ativan for alcohol withdrawal?",
    "What is the max dose of {brand}?",
    "Can I give {brand} with {brand}?",
    "How do I convert {brand} to {generic}?",
    "Is {brand} safe in {problem}?",
    "Should I hold {brand} before {proc}?",
    "What's the renal dose of {generic}?",
    "Does {organism} need contact precautions?",
    "Which antibiotic covers {organism} and {organism}?",
    "How do I calculate {score0}?",
    "Explain {disease} vs {disease}.",
    "Summarize the workup for {problem} in a {age} yo {sex}.",
    "What does a positive {sign} mean?",
    "When do you use {device} vs {device}?",
    "Draft discharge instructions for {problem} on {brand}.",
    "Is {stain} useful for {organism}?",
    "Write a progress note: {problem}, on {brand}, {vital}, {labval}.",
    "what's the iv to po conversion for {generic}",
    "Dose of {generic} for {problem}?",
    "Can {brand} cause {problem}?",
)
add(*WORDTRAPS)

FIXED = [
    "HISTORY OF PRESENT ILLNESS",
    "Assessment And Plan",
    "Started Keppra 500 mg BID.",
    "Held Eliquis for the procedure.",
    "Zosyn and Vancomycin continued.",
    "Tylenol/Motrin alternating.",
    "Lasix/Aldactone/Coreg resumed.",
    "Kayexalate vs Lokelma for K 5.9?",
    "NSTEMI, HFrEF, CABG x3, A&Ox3, PERRLA.",
    "Glasgow Coma Scale 15, no focal deficits.",
    "Apgar 8 and 9 at one and five minutes.",
    "Murphy's sign positive; surgery aware.",
    "Babinski downgoing bilaterally.",
    "Romberg negative. Dix-Hallpike negative. Epley performed.",
    "Weber midline, Rinne AC > BC bilaterally.",
    "Snellen 20/40 OD, 20/25 OS.",
    "Lachman and McMurray negative; anterior drawer negative.",
    "Phalen and Tinel positive at the wrist.",
    "Allen test normal before the radial arterial line.",
    "Pap smear up to date per patient.",
    "Gram stain: gram-positive cocci in clusters.",
    "Ziehl-Neelsen stain negative x3; airborne isolation discontinued.",
    "Holter ordered for palpitations.",
    "Swan-Ganz placed: CI 1.8, wedge 24.",
    "Jackson-Pratt removed, site clean.",
    "Sengstaken-Blakemore tube placed for variceal bleed.",
    "Yankauer at bedside for secretions.",
    "Venturi mask 40%, sats 94%.",
    "Heimlich valve attached to the chest tube.",
    "Port-a-Cath accessed, good blood return.",
    "Hickman line dressing changed.",
    "Broviac in place for TPN.",
    "Foley removed, voiding trial in progress.",
    "C. diff positive; contact precautions, PO vancomycin.",
    "H. pylori stool antigen positive; triple therapy started.",
    "E. coli UTI, pan-sensitive.",
    "Staph epi in 1 of 2 bottles, likely contaminant.",
    "Klebsiella pneumoniae ESBL; switched to meropenem.",
    "Pseudomonas in sputum; cefepime continued.",
    "Candida albicans in urine, Foley changed, no treatment.",
    "Streptococcus pyogenes on throat culture, amoxicillin x10 days.",
    "Wells criteria low risk, D-dimer negative.",
    "Ranson 2 at admission.",
    "Child-Pugh C, MELD 28, Hepatology aware.",
    "Gleason 4+3, Urology to discuss options.",
    "Breslow 0.8 mm, no ulceration.",
    "Tanner stage 4, normal exam.",
    "Mallampati III, anticipate difficult airway.",
    "Kernig and Brudzinski negative.",
    "Homan's sign negative, calves soft.",
    "Valsalva terminated the SVT.",
    "Seldinger technique, ultrasound guided, single pass.",
    "Penrose drain advanced 2 cm.",
    "Ambu bag and suction at bedside.",
    "Denver screen appropriate for age.",
    "Spurling positive on the left, C6 radiculopathy suspected.",
    "Finkelstein positive, thumb spica splint.",
    "Wright stain of the smear reviewed with Hematology.",
    "Doppler signals present in DP and PT.",
    "Cardiology, Interventional Radiology, Palliative Care, Social Work and Case Management following.",
    "Palliative Care met with the family; goals of care discussed.",
    "Social Work to assist with transportation.",
    "Case Management working on SNF placement.",
    "Interventional Radiology to place a PICC.",
    "The ED gave 2 L LR and ceftriaxone.",
    "Transferred to the ICU for pressor requirement.",
    "Discharged to rehab in stable condition.",
    "pt in rm 4 c/o cp, gave asa",
    "What is the max dose of Ativan for alcohol withdrawal?",
    "Guillain-Barré suspected; IVIG started, NIF trended.",
    "Stevens-Johnson syndrome after Bactrim; Dermatology and Burn following.",
    "Wolff-Parkinson-White on ECG, delta waves noted.",
    "Legg-Calvé-Perthes on the right hip x-ray.",
    "Osgood-Schlatter, supportive care.",
    "Bell's palsy, prednisone and valacyclovir started.",
    "Barrett's esophagus without dysplasia on EGD.",
    "Meckel's scan negative.",
    "Crohn's flare, on Humira.",
    "Graves' disease, on methimazole.",
    "Hashimoto's, on Synthroid 88 mcg.",
    "Addison's, stress-dose steroids given.",
    "Cushing's workup: late-night salivary cortisol pending.",
    "Sjögren's, dry eyes, on artificial tears.",
    "Kawasaki disease, IVIG and aspirin, Cardiology echo.",
    "Hodgkin lymphoma in remission.",
    "Whipple in the past, on Creon with meals.",
    "Nissen fundoplication, no reflux since.",
    "Fowler's position, HOB 45 degrees.",
    "Trendelenburg for central line placement.",
    "Bishop score 4; Cytotec for cervical ripening.",
    "Will follow up.",
    "Drew labs.",
    "Frank blood in the stool.",
    "Rose from chair with minimal assist.",
    "Hope to extubate after SBT.",
    "Mark the site.",
    "A&Ox3, GCS 15, moving all extremities.",
    "Afebrile, HDS, NAD.",
    "Lungs CTAB, RRR, no m/r/g, abd soft NTND, no edema.",
    "Tolerating PO, +BM, +flatus.",
    "Code Status: Full Code.",
    "Code Status: DNR/DNI, confirmed with patient.",
    "Allergies: NKDA.",
    "Allergies: Penicillin (rash), Sulfa (hives), Codeine (nausea).",
    "Diet: Cardiac, 2 g Na, 1.5 L fluid restriction.",
    "Activity: Up with assist. PT/OT evaluations.",
    "Disposition: Home with Home Health.",
    "Lines: R IJ CVC, L radial art line, Foley.",
    "I&O: In 2.1 L, Out 3.4 L.",
    "CIWA protocol with Ativan; thiamine, folate, MVI.",
    "Narcan 0.4 mg IV given with good response.",
    "Levophed at 8 mcg/min, Vasopressin at 0.04.",
    "Precedex for agitation, RASS 0.",
    "tele: NSR, occasional PVCs",
    "lower|ng tube placement confirmed by cxr, ok to use",
    "Please page Surgery re: Jackson-Pratt output.",
    "Pt asks whether Tylenol PM is ok with Ambien. Pharmacy consulted.",
    "Pt prefers Motrin over Tylenol.",
    "Zofran ineffective; Reglan added.",
    "Colace/Senna/Miralax bowel regimen.",
    "Lovenox 40 mg daily for DVT ppx.",
    "Heparin gtt per ACS nomogram, Anti-Xa in 6 hours.",
    "Coumadin with INR goal 2 to 3; bridged with Lovenox.",
    "Plavix and aspirin for DAPT x12 months.",
    "Brilinta load given in the cath lab.",
    "Entresto started; Lisinopril stopped 36 hours prior.",
    "Jardiance continued for HFrEF and CKD.",
    "Ozempic held pre-op for aspiration risk.",
    "Lantus 20 units nightly, Humalog sliding scale.",
    "Synthroid on an empty stomach.",
    "Suboxone continued; Addiction Medicine following.",
    "Seroquel 25 mg at bedtime PRN agitation.",
    "Haldol 2 mg IV x1 for delirium; QTc 440.",
    "Depakote level 72.",
    "Vimpat added for breakthrough seizures.",
    "Flagyl and Cipro for diverticulitis.",
    "Zyvox for VRE bacteremia; CBC weekly.",
    "Diflucan for Candida glabrata? Check susceptibilities.",
    "Paxlovid interaction with Xarelto; apixaban dose reviewed.",
    "Kcentra given for ICH on Eliquis.",
    "Keytruda infusion deferred for colitis.",
    "Neupogen started for ANC 300.",
    "Epogen with dialysis.",
    "Xifaxan and lactulose for hepatic encephalopathy.",
    "Sandostatin drip for variceal bleed.",
    "Pitocin augmentation; FHT category I.",
    "Methergine given for atony; QBL 900 mL.",
    "Rhogam given, mother Rh negative.",
    "G2P1 at 39 weeks, SROM, clear fluid.",
    "Tanner 2 breast development.",
    "Ballard consistent with 36 weeks.",
    "Young adult male, no PMH, presenting with syncope.",
    "Bill insurance for the cane.",
    "Price of Eliquis is a barrier; switched to warfarin.",
    "Grant application for charity care submitted by Social Work.",
    "Brown stool in the ostomy.",
    "Walker for ambulation, Cane at home.",
    "Chase cultures.",
    "Faith-based support offered; Spiritual Care notified.",
    "Hope, goals and fears explored with the patient.",
    "Rose-colored urine after rifampin, expected.",
    "Will consider Whipple if resectable.",
    "Drew ABG: pH 7.31, pCO2 52.",
    "Frank hematuria with clots; 3-way Foley placed.",
    "Sengstaken tube unavailable; Minnesota tube used.",
    "Parkinson's on Sinemet; give doses on time.",
    "Alzheimer's, on Aricept and Namenda.",
    "Raynaud's, avoid beta-blockers.",
    "Down syndrome, AV canal repaired in infancy.",
    "Turner syndrome, followed by Endocrinology.",
    "Marfan habitus; Echo for aortic root.",
    "Ménière's disease flare; meclizine PRN.",
    "Horner syndrome on the left; CTA neck ordered.",
    "Wernicke: IV thiamine 500 mg TID.",
    "Takotsubo on echo, apical ballooning.",
    "Brugada pattern; Electrophysiology consulted.",
    "Arnold-Chiari I on MRI, Neurosurgery outpatient.",
    "Pierre Robin sequence, prone positioning, ENT following.",
    "Brown-Séquard pattern after the stab wound.",
    "Charcot foot, offloading boot.",
    "Osler nodes and Janeway lesions, concerning for endocarditis.",
    "Virchow node palpable; GI for EGD.",
    "Trousseau sign positive; ionized calcium low.",
    "Chvostek positive, calcium gluconate given.",
    "Cullen and Grey Turner signs absent.",
    "Kussmaul breathing; DKA protocol.",
    "Cheyne-Stokes respirations overnight; Palliative aware.",
    "Beck triad present; pericardiocentesis.",
    "Koplik spots; airborne precautions, Infection Prevention notified.",
    "Nikolsky positive; Burn unit consult.",
    "Ortolani and Barlow negative.",
    "Kocher maneuver performed.",
    "Roux-en-Y history; avoid NSAIDs.",
    "Hartmann pouch, colostomy functioning.",
    "Mohs surgery for BCC of the nose.",
    "LEEP for CIN 2.",
    "Fontan circulation; Cardiology aware of admission.",
    "Impella in place; Heart Failure following.",
    "Passy-Muir valve trial with Speech.",
    "Hoyer lift for transfers.",
    "Bair Hugger for temp 35.4.",
    "Miami J collar until CT clears.",
    "Wound VAC changed q3 days by Wound Care.",
    "LifeVest fitted prior to discharge.",
    "Tegaderm over the PIV.",
    "Steri-Strips applied, Dermabond on the port sites.",
    "Dobhoff post-pyloric, tube feeds at 20 mL/hr.",
    "Quinton catheter for urgent HD.",
    "Tenckhoff catheter, PD fluid cloudy, cell count sent.",
    "Pleur-evac to -20 cm suction, no air leak.",
    "Frenzel goggles: no nystagmus.",
    "Salter-Harris II of the distal radius; Ortho reduced.",
    "Weber B ankle fracture, splinted.",
    "Garden IV femoral neck fracture; Ortho for hemiarthroplasty.",
    "NIHSS 4; not a tPA candidate.",
    "Hunt and Hess 2, Fisher 3; nimodipine.",
    "CHA2DS2-VASc 5, HAS-BLED 3.",
    "HEART score 3, low risk.",
    "CURB-65 of 1, outpatient treatment reasonable.",
    "PHQ-9 of 18; Psychiatry consult.",
    "ECOG 1, Karnofsky 80.",
    "Light's criteria: exudative effusion.",
    "Duke criteria: 1 major, 2 minor.",
    "Beers criteria reviewed; Benadryl stopped.",
    "Centor 4; rapid strep positive.",
    "Caprini 6, Lovenox plus SCDs.",
    "Morse fall score 55; bed alarm.",
    "Braden 12; specialty mattress.",
    "Aldrete 10, ready for phase II.",
    "ASA III, Mallampati II.",
    "Spetzler-Martin 2 AVM.",
    "NYHA III on Entresto, Coreg, Aldactone, Jardiance.",
    "Killip I, TIMI 3 flow restored.",
    "Rockall 3, Blatchford 8; GI for EGD.",
    "qSOFA 2, sepsis bundle started.",
    "Salmonella in stool; no antibiotics unless bacteremic.",
    "Shigella, azithromycin.",
    "Campylobacter, supportive care.",
    "Morganella morganii in the urine, resistant to nitrofurantoin.",
    "Citrobacter freundii in the wound; ID recs cefepime.",
    "Serratia marcescens from the line tip.",
    "Proteus mirabilis with staghorn calculus; Urology.",
    "Enterobacter cloacae, avoid ceftriaxone.",
    "Acinetobacter baumannii, contact plus.",
    "Stenotrophomonas maltophilia; Bactrim.",
    "Listeria monocytogenes meningitis; ampicillin and gentamicin.",
    "Pneumocystis jirovecii; Bactrim and prednisone.",
    "Cryptococcus neoformans antigen positive; LP with opening pressure.",
    "Aspergillus galactomannan positive; voriconazole.",
    "Legionella urine antigen negative.",
    "Haemophilus influenzae, beta-lactamase positive.",
    "Moraxella catarrhalis, Augmentin.",
    "Bordetella pertussis PCR pending; droplet precautions.",
    "Borrelia serology sent.",
    "Epstein-Barr virus, monospot positive; no contact sports.",
    "Group B Strep positive; Penicillin G in labor.",
    "Gardnerella on wet prep; Flagyl.",
    "Nocardia on biopsy; Bactrim.",
    "Enterococcus faecalis, ampicillin sensitive.",
    "S. aureus bacteremia: repeat cultures, TEE, ID consult.",
    "MRSA nares negative; vancomycin stopped.",
]

SEX0 = ["M", "F"]


def one(lst):
    return lambda rng, vocab, arg: [(rng.choice(lst), None)]


def filler_from(templates_list):
    return lambda rng, vocab, arg: [(rng.choice(templates_list), None)]


FILLERS = {
    "brand": one(BRANDS),
    "generic": one(GENERICS),
    "drug": one(DRUGS),
    "dose": one(DOSES),
    "reason": one(REASONS),
    "problem": one(PROBLEMS),
    "disease": one(EPONYM_DISEASES),
    "sign": one(EPONYM_SIGNS),
    "proc": one(EPONYM_PROCS),
    "device": one(DEVICES),
    "score": one(SCORES),
    "score0": one(["Child-Pugh", "MELD", "Wells score", "CHA2DS2-VASc", "HAS-BLED", "Ranson",
                   "CURB-65", "Bishop score", "Glasgow Coma Scale", "Apgar", "Caprini", "Centor",
                   "Glasgow-Blatchford", "Rockall", "HEART score", "NIHSS", "Alvarado score"]),
    "organism": one(ORGANISMS),
    "line": one(LINES),
    "tube": one(TUBES),
    "drain": one(DRAINS),
    "mobility": one(MOBILITY),
    "dressing": one(DRESSINGS),
    "o2": one(O2),
    "unit": one(UNITS),
    "dispo": one(DISPO),
    "drugdose": one(DRUGDOSE),
    "pick": lambda rng, vocab, arg: [(rng.choice(arg.split(";")), None)],
    "stain": one(STAINS),
    "svc": one(SERVICES),
    "place": one(PLACES),
    "lab": one(LABS),
    "labval": one(LABVALS),
    "vital": one(VITALS),
    "header": one(HEADERS),
    "age": one(AGE),
    "sex": one(SEX),
    "sex0": one(SEX0),
}

MONTHS_DAYS = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|today|tomorrow|yesterday|tonight)\b",
    re.I,
)
# The modal verb "may" is the one month word allowed: in lower case anywhere, capitalised only
# at the start of "May give ... PRN".


def check(records):
    for r in records:
        t = r["text"]
        words = [w for w in MONTHS_DAYS.findall(t) if w != "may"]  # the lower-case modal verb
        if words and not (t.startswith("May give ") and words == ["May"]):
            raise SystemExit(f"month/weekday/relative day in {t!r}")
        if re.search(r"(?<![\d.])(19|20)\d\d(?![\d.])", t):
            raise SystemExit(f"year-like number in {t!r}")
        if re.search(r"@|https?:|www\.|\.com\b|\.org\b", t, re.I):
            raise SystemExit(f"address-like text in {t!r}")
        for m in re.finditer(r"(?<![\d.])(\d{1,2})/(\d{1,2})(?:/\d+)?(?![\d.])", t):
            a, b = int(m.group(1)), int(m.group(2))
            # blood pressures, visual acuity and combination doses ("Suboxone 8/2 mg") are allowed
            near = t[max(0, m.start() - 10) : m.end() + 4]
            if 1 <= a <= 12 and 1 <= b <= 31 and not re.search(r"BP|Snellen|20/|/\d+ mg", near):
                raise SystemExit(f"date-like slash form {m.group(0)!r} in {t!r}")
        for m in re.finditer(r"\b(\d{2,3})\s*(?:yo|y/o|-year-old|year old)", t):
            if int(m.group(1)) > 89:
                raise SystemExit(f"age over 89 in {t!r}")
        if r["spans"]:
            raise SystemExit("spans must be empty")


def build():
    rng = random.Random(SEED)
    seen = set()
    out = []  # (template_id, text)
    all_t = T + FIXED
    # Every fixed sentence and slot-free template once, then filled templates at random.
    for k, t in enumerate(all_t):
        if "{" not in t:
            text, _ = engine.render(t, FILLERS, rng, None)
            if text not in seen:
                seen.add(text)
                out.append((k, text))
    slotted = [k for k, t in enumerate(all_t) if "{" in t]
    # Each slotted template at least once, then at random.
    order = list(slotted)
    rng.shuffle(order)
    tries = 0
    uses = {}
    while len(out) < TARGET and tries < 100000:
        tries += 1
        k = order.pop() if order else rng.choice(slotted)
        if uses.get(k, 0) >= MAX_USES:  # no template dominates the false-positive count
            continue
        text, spans = engine.render(all_t[k], FILLERS, rng, None)
        assert not spans
        if text in seen:
            continue
        seen.add(text)
        uses[k] = uses.get(k, 0) + 1
        out.append((k, text))
    rng.shuffle(out)
    return [
        {"id": i, "part": "clean", "template_id": k, "text": text, "spans": []}
        for i, (k, text) in enumerate(out)
    ]


def main():
    records = build()
    check(records)
    engine.write_jsonl(os.path.join(HERE, "clean.jsonl"), records)
    print(f"clean.jsonl: {len(records)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
