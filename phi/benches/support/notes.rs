//! The realistic clinical document the throughput measurements use: progress
//! notes with vitals, labs, medications and doses, and a realistic density of
//! identifiers (names, dates, MRNs, phones, addresses, ...). Deterministic;
//! shared by `benches/detect.rs` and `examples/phi_throughput.rs`.

/// A small deterministic generator (no dependency needed for a benchmark).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
    fn num(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const GIVEN: &[&str] = &[
    "Maria", "James", "Linda", "Robert", "Aisha", "Wei", "Carlos", "Fatima", "Olga", "Thomas",
    "Priya", "Kwame", "Sofia", "Daniel", "Emily", "Jorge", "Hannah", "Mohammed", "Grace", "Ivan",
];
const FAMILY: &[&str] = &[
    "Garcia", "Nguyen", "Okafor", "Schmidt", "Patel", "Kowalski", "Johnson", "Haddad", "Rossi",
    "Andersen", "Silva", "Murphy", "Tanaka", "Kim", "Lopez", "Brennan", "Novak", "Walker",
];
const DRUGS: &[&str] = &[
    "metformin 1000 mg BID",
    "lisinopril 20 mg daily",
    "atorvastatin 40 mg qHS",
    "apixaban 5 mg BID",
    "furosemide 40 mg IV",
    "insulin glargine 22 units qHS",
    "ondansetron 4 mg q8h PRN",
    "vancomycin 1.25 g IV q12h",
    "prednisone 40 mg x 5 days",
    "acetaminophen 650 mg q6h PRN",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "March", "April", "Sep", "October", "Nov", "December",
];

fn date(r: &mut Lcg) -> String {
    match r.num(0, 3) {
        0 => format!("{}/{}/{}", r.num(1, 12), r.num(1, 28), r.num(19, 25)),
        1 => format!(
            "20{}-{:02}-{:02}",
            r.num(19, 25),
            r.num(1, 12),
            r.num(1, 28)
        ),
        2 => format!("{} {}, 20{}", r.pick(MONTHS), r.num(1, 28), r.num(19, 25)),
        _ => format!("{}/{}", r.num(1, 12), r.num(1, 28)),
    }
}

fn name(r: &mut Lcg) -> String {
    format!("{} {}", r.pick(GIVEN), r.pick(FAMILY))
}

fn note(r: &mut Lcg) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "PROGRESS NOTE\nPatient: {}   MRN: {}   DOB: {}\nAttending: Dr. {}, MD\n\n",
        name(r),
        r.num(1_000_000, 99_999_999),
        date(r),
        r.pick(FAMILY)
    ));
    s.push_str(&format!(
        "Subjective: {} yo {} with history of type 2 diabetes, hypertension and CKD stage 3 \
         presents for follow-up. Reports {}/10 knee pain, denies chest pain, dyspnea, fever or \
         chills. Tolerating diet. Ambulating with walker. Slept poorly overnight.\n",
        r.num(25, 88),
        r.pick(&["M", "F"]),
        r.num(0, 8)
    ));
    s.push_str(&format!(
        "Objective: BP {}/{}, HR {}, RR {}, SpO2 {}% on RA, Temp {}.{} F, weight {} kg.\n\
         Labs: Na {}, K {}.{}, Cl {}, HCO3 {}, BUN {}, Cr {}.{}, glucose {}, WBC {}.{}, \
         Hgb {}.{}, Plt {}, INR {}.{}, A1c {}.{}%.\n",
        r.num(100, 170),
        r.num(60, 100),
        r.num(55, 110),
        r.num(12, 22),
        r.num(90, 100),
        r.num(97, 101),
        r.num(0, 9),
        r.num(50, 120),
        r.num(130, 145),
        r.num(3, 5),
        r.num(0, 9),
        r.num(95, 110),
        r.num(20, 30),
        r.num(8, 40),
        r.num(0, 3),
        r.num(0, 9),
        r.num(70, 300),
        r.num(4, 15),
        r.num(0, 9),
        r.num(8, 15),
        r.num(0, 9),
        r.num(150, 400),
        r.num(0, 3),
        r.num(0, 9),
        r.num(5, 10),
        r.num(0, 9)
    ));
    s.push_str(&format!(
        "Exam: alert and oriented x3, lungs clear bilaterally, 2/6 systolic murmur, no edema, \
         strength 5/5 throughout. Room {}{}.\n",
        r.num(100, 999),
        r.pick(&["", "A", "B"])
    ));
    s.push_str(&format!(
        "Medications: {}; {}; {}.\nAssessment and plan: {} (ICD-10 E11.9, I10, N18.3). \
         Continue current regimen, recheck BMP in 3 days. Echo on {} showed LVEF 55-60%. \
         Discussed with daughter {} at {}-{}-{}; she lives at {} {} Street, {}, Ohio {}.\n",
        r.pick(DRUGS),
        r.pick(DRUGS),
        r.pick(DRUGS),
        r.pick(&[
            "Uncontrolled diabetes",
            "Heart failure exacerbation",
            "Pneumonia",
            "AKI on CKD"
        ]),
        date(r),
        r.pick(GIVEN),
        r.num(200, 989),
        r.num(200, 999),
        r.num(1000, 9999),
        r.num(10, 9999),
        r.pick(FAMILY),
        r.pick(&["Springfield", "Columbus", "Dayton", "Toledo"]),
        r.num(43000, 45999)
    ));
    s.push_str(&format!(
        "Follow up with {} on {} at St. {} Medical Center. Email {}.{}@example.com with \
         questions. Electronically signed by {}, NP on {}.\n\n",
        name(r),
        date(r),
        r.pick(FAMILY),
        r.pick(GIVEN).to_lowercase(),
        r.pick(FAMILY).to_lowercase(),
        name(r),
        date(r)
    ));
    s
}

/// A clinical document of at least `bytes` bytes.
pub fn document(bytes: usize) -> String {
    let mut r = Lcg(42);
    let mut s = String::with_capacity(bytes + 4096);
    while s.len() < bytes {
        s.push_str(&note(&mut r));
    }
    s
}
