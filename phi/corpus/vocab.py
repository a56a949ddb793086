"""Vocabularies for the corpus. Every list is split in two disjoint halves
(alternate entries): one for the tuning part, one for the held-out part, so
no name, street, city, hospital word or domain appears in both.
"""

from formats import STATES

# (given names, family names) by naming tradition. Particles, hyphens,
# apostrophes and diacritics are kept as people write them.
CULTURES = {
    "anglo": (
        "James Mary Robert Patricia John Jennifer Michael Linda William Elizabeth David Barbara "
        "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa "
        "Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew "
        "Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa Edward "
        "Deborah Ronald Stephanie Timothy Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob "
        "Kathleen Gary Amy Nicholas Shirley Eric Angela Jonathan Helen Stephen Anna Larry Brenda "
        "Justin Pamela Scott Nicole Brandon Emma Benjamin Samantha Samuel Katherine Gregory "
        "Christine Frank Debra Alexander Rachel Raymond Catherine Patrick Carolyn Jack Janet Dennis "
        "Ruth Jerry Heather Tyler Diane Aaron Virginia Adam Julie Henry Joyce Nathan Victoria "
        "Douglas Olivia Zachary Kelly Peter Christina Kyle Lauren Walter Joan Ethan Evelyn Jeremy "
        "Judith Harold Megan Keith Cheryl Roger Andrea Noah Hannah Gerald Martha Carl Jacqueline "
        "Terry Frances Sean Gloria Austin Teresa Arthur Kathryn Lawrence Sara Jesse Janice Dylan "
        "Jean Bryan Alice Billy Madison Bruce Doris Albert Abigail Willie Julia Gabriel Judy Logan "
        "Denise Alan Marilyn Wayne Beverly Roy Danielle Ralph Theresa Randy Sophia Eugene Marie "
        "Vincent Diana Russell Brittany Louis Natalie Bobby Kayla Philip Alexis Johnny Lori Mildred "
        "Clarence Gladys Earl Agnes Herbert Edna Floyd Ethel Vernon Myrtle Wilbur Opal Elmer Hazel "
        "Lloyd Mabel Chester Bernice Homer Velma Otis Lucille Hollis Imogene Virgil Thelma".split(),
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
        "Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott "
        "Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker "
        "Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Bailey Cooper "
        "Richardson Cox Howard Ward Peterson Gray Watson Brooks Kelly Sanders Price Bennett Wood "
        "Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Butler Simmons "
        "Foster Bryant Russell Griffin Hayes Myers Ford Hamilton Graham Wallace Woods Cole West "
        "Owens Reynolds Fisher Ellis Harrison Gibson Marshall Wells Webb Tucker Freeman Warren "
        "Dixon Burns Gordon Shaw Holmes Rice Hunt Black Daniels Palmer Mills Grant Knight Ferguson "
        "Stone Hawkins Dunn Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews Arnold "
        "Wagner Willis Watkins Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Harper "
        "Fox Riley Armstrong Carpenter Weaver Greene Elliott Sims Peters Kelley Franklin Lawson "
        "Fields Stokes Love Sharp Frost Swift Strong Short Little Small Golden Bishop Church "
        "Chambers Waters Rivers Bush Woodward Fairchild Whitfield Blackwood Ashworth Pennington "
        "Worthington Kingsley Thornton Ainsworth Pemberton Hollingsworth Smith-Jones Baker-Hughes "
        "Ward-Prowse Lloyd-Webber Carter-Lewis Hart-Davis".split(),
    ),
    "irish": (
        "Siobhan Niamh Aoife Saoirse Ciaran Padraig Eoin Declan Sinead Roisin Caoimhe Oisin "
        "Grainne Darragh Cormac Fionnuala Colm Aisling Eamon Brendan Maeve Ronan Orla Cathal".split(),
        ["O'Brien", "O'Connor", "O'Neill", "O'Sullivan", "O'Donnell", "O'Malley", "O'Reilly", "O'Hara",
         "O'Keefe", "O'Rourke", "O'Shea", "O'Leary", "O'Dwyer", "O'Callaghan", "McCarthy", "McLaughlin",
         "McGuire", "McKenna", "McNamara", "McBride", "MacDonald", "MacKenzie", "MacLeod", "MacIntyre",
         "McAllister", "Fitzgerald", "Fitzpatrick", "Gallagher", "Donnelly", "Kavanagh", "Byrne", "Doyle",
         "Quinn", "Flanagan", "Brennan", "Sheehan", "Keane", "Nolan", "Mulligan", "Dougherty",
         "Ó Briain", "Mac Giolla Phádraig", "O’Connell", "O’Grady"],
    ),
    "hispanic": (
        ["José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Francisco", "Alejandro", "Javier",
         "Fernando", "Ricardo", "Eduardo", "Roberto", "Sergio", "Raúl", "Manuel", "Pedro", "Andrés",
         "Diego", "Rafael", "Guadalupe", "María", "Ana", "Carmen", "Rosa", "Lucía", "Sofía", "Valentina",
         "Camila", "Ximena", "Mariana", "Daniela", "Alejandra", "Gabriela", "Marisol", "Yesenia",
         "Esperanza", "Consuelo", "Dolores", "Pilar", "Rocío", "Araceli", "Itzel", "Yolanda", "Socorro",
         "Maricela", "Juan Carlos", "José Luis", "María Elena", "Ana Lucía", "Jesús", "Ángel",
         "Maria", "Jose", "Luz", "Inés"],
        ["Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez",
         "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Morales", "Cruz", "Ortiz",
         "Gutierrez", "Chavez", "Ramos", "Ruiz", "Alvarez", "Mendoza", "Castillo", "Jimenez", "Moreno",
         "Romero", "Herrera", "Medina", "Aguilar", "Vargas", "Guzman", "Castro", "Velasquez", "Fuentes",
         "Salazar", "Dominguez", "Estrada", "Ochoa", "Villanueva", "Zamora", "Quintero", "Barrientos",
         "Cervantes", "de la Cruz", "de la Rosa", "de los Santos", "del Valle", "De León", "García-López",
         "Martínez-Ruiz", "Hernández", "Muñoz", "Peña", "Núñez", "Ibáñez", "Báez", "Ávila", "Sáenz",
         "de la Fuente", "Ruiz de Alarcón", "Vázquez", "Suárez"],
    ),
    "lusophone": (
        ["João", "Gonçalo", "Thiago", "Luana", "Conceição", "Thaís", "Vinícius", "Leandro", "Fernanda",
         "Raimunda", "Sebastião", "Antônio", "Letícia", "Caio"],
        ["da Silva", "dos Santos", "Ferreira", "Oliveira", "Souza", "Carvalho", "Gonçalves", "Araújo",
         "Pereira", "Rocha", "Magalhães", "Nascimento", "da Costa", "das Neves", "do Carmo", "Cavalcanti"],
    ),
    "african_american": (
        ["DeShawn", "Jamal", "Tyrone", "Darnell", "Malik", "Terrell", "Deandre", "Marquis", "Lamar",
         "Jaylen", "Keisha", "Tamika", "Latoya", "Shaniqua", "Ebony", "Aaliyah", "Imani", "Jasmine",
         "Lakisha", "Tanisha", "Shanice", "Monique", "Dominique", "LaToya", "DaQuan", "Jaquan",
         "Kareem", "Rasheed", "Latrice", "Shante", "D'Andre", "De'Asia", "Ja'Marcus", "Tre'Von",
         "Da'Shawn", "La'Keisha"],
        ["Washington", "Jefferson", "Banks", "Booker", "Mosley", "Dorsey", "Gaines", "Battle",
         "Pettaway", "Shabazz", "Muhammad", "Whitaker", "Dukes", "Merriweather"],
    ),
    "west_african": (
        ["Oluwaseun", "Chukwuemeka", "Adebayo", "Ngozi", "Chiamaka", "Oluwadamilare", "Folasade",
         "Kwame", "Kofi", "Ama", "Akosua", "Yaw", "Abena", "Kwabena", "Chidi", "Emeka", "Nnamdi",
         "Adaeze", "Ifeoma", "Temitope", "Babajide", "Aminata", "Fatoumata", "Mamadou", "Ousmane",
         "Moussa", "Aïssatou", "Ibrahima", "Seydou", "Chinonso", "Blessing", "Precious"],
        ["Okafor", "Adeyemi", "Okonkwo", "Nwosu", "Eze", "Obi", "Adeleke", "Balogun", "Oyelaran",
         "Mensah", "Asante", "Owusu", "Boateng", "Appiah", "Osei", "Diallo", "Traoré", "Keïta",
         "Coulibaly", "Ndiaye", "N'Diaye", "Sow", "Diop", "Camara", "Touré", "Fofana",
         "Adebayo-Smith", "Okoro", "Chukwu", "Onyekachi", "Oyelowo", "Adichie"],
    ),
    "east_african": (
        ["Abebe", "Tesfaye", "Mulugeta", "Selam", "Hiwot", "Tigist", "Yohannes", "Wanjiru", "Kamau",
         "Otieno", "Achieng", "Mwangi", "Njeri", "Abdi", "Hodan", "Ayaan", "Liban", "Sagal"],
        ["Gebremedhin", "Haile", "Tadesse", "Bekele", "Wolde", "Kiprono", "Odhiambo", "Warsame",
         "Farah", "Abdullahi", "Hirsi", "Mohamud", "Jama", "Nur"],
    ),
    "chinese": (
        ["Wei", "Fang", "Li Na", "Xiaoming", "Jing", "Yan", "Hui", "Jun", "Lei", "Ming", "Xin", "Ying",
         "Zhiwei", "Yuxuan", "Haoran", "Zihan", "Mei", "Lan", "Qiang", "Hong", "Xiaoli", "Jian"],
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
         "Zhu", "Hu", "Guo", "Lin", "Luo", "Gao", "Zheng", "Liang", "Xie", "Tang", "Feng", "Deng",
         "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Chan", "Wong",
         "Leung", "Chow", "Lam", "Ng", "Tsang", "Cheung", "Kwok", "Ouyang"],
    ),
    "korean": (
        ["Min-jun", "Seo-yeon", "Ji-hoon", "Ji-woo", "Hye-jin", "Soo-ah", "Jae-won", "Eun-ji",
         "Dong-hyun", "Yeon-woo", "Sung-min", "Hyun-woo", "Minji", "Jiyeon"],
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Seo",
         "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo"],
    ),
    "japanese": (
        ["Hiroshi", "Takeshi", "Kenji", "Yuki", "Haruto", "Sota", "Yui", "Aoi", "Hina", "Sakura",
         "Keiko", "Yoko", "Akiko", "Tomoko", "Naoki", "Daisuke", "Kazuo", "Shigeru", "Emiko", "Michiko"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
         "Kimura", "Hayashi", "Shimizu", "Yamazaki", "Ikeda", "Hashimoto", "Ishikawa", "Ogawa",
         "Fujita", "Okada", "Hasegawa", "Nishimura"],
    ),
    "vietnamese": (
        ["Linh", "Huong", "Thao", "Trang", "Phuong", "Tuan", "Dung", "Minh", "Quang", "Hieu", "Thuy",
         "Ngoc", "Van An", "Thi Mai", "Duc Anh", "Quoc Bao", "Thi Hoa", "Van Long"],
        ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho", "Ngo",
         "Duong", "Ly", "Truong", "Nguyễn", "Trần"],
    ),
    "filipino": (
        ["Maricel", "Rodelio", "Jocelyn", "Marivic", "Rowena", "Arnel", "Jerome", "Lourdes",
         "Rommel", "Ligaya", "Analyn", "Jun-Jun"],
        ["Santos", "Bautista", "Ocampo", "Dela Cruz", "Del Rosario", "Aquino", "Manalo", "Macaraeg",
         "Dimaculangan", "Pangilinan", "Mercado", "Tolentino", "Dizon", "Soriano"],
    ),
    "south_asian": (
        ["Priya", "Anjali", "Deepika", "Sunita", "Lakshmi", "Kavya", "Aarav", "Vivek", "Rajesh",
         "Sanjay", "Arjun", "Rohan", "Vikram", "Ananya", "Aditi", "Nikhil", "Ravi", "Suresh", "Ramesh",
         "Meenakshi", "Shreya", "Harpreet", "Gurpreet", "Manpreet", "Jaswinder", "Balwinder",
         "Sandeep", "Amandeep", "Farhan", "Ayesha", "Imran", "Nasreen", "Tahira", "Bilal", "Zainab",
         "Rukhsana", "Venkata", "Srinivas", "Padma", "Anand"],
        ["Patel", "Shah", "Sharma", "Singh", "Kumar", "Gupta", "Reddy", "Rao", "Iyer", "Nair",
         "Menon", "Pillai", "Desai", "Mehta", "Joshi", "Chatterjee", "Banerjee", "Mukherjee",
         "Bhattacharya", "Das", "Ghosh", "Sen", "Chaudhry", "Malik", "Khan", "Qureshi", "Siddiqui",
         "Hussain", "Rahman", "Chowdhury", "Sandhu", "Gill", "Dhillon", "Grewal", "Venkataraman",
         "Subramanian", "Krishnamurthy", "Ramachandran", "Kaur", "Ahluwalia"],
    ),
    "arabic": (
        ["Mohammed", "Ahmed", "Omar", "Ali", "Hassan", "Hussein", "Khalid", "Youssef", "Ibrahim",
         "Mustafa", "Tariq", "Samir", "Karim", "Nabil", "Fatima", "Aisha", "Layla", "Mariam", "Noor",
         "Yasmin", "Huda", "Rania", "Salma", "Zeinab", "Amira", "Leila", "Dalia", "Hala", "Abdulrahman",
         "Mohamed"],
        ["Haddad", "Khoury", "Nasser", "Saleh", "Mansour", "Hamdan", "Aziz", "Farouk", "El-Sayed",
         "Al-Khalil", "Al-Masri", "Abu-Bakr", "Abdullah", "Abdel-Rahman", "Abdelaziz", "Ben Ali",
         "Benali", "Bouzid", "Ait-Taleb", "al-Hashimi", "bin Saleh", "Abou Khalil", "El Amrani",
         "Al Zahrani"],
    ),
    "jewish": (
        ["Yael", "Noa", "Avi", "Eitan", "Tamar", "Shira", "Moshe", "Yosef", "Rivka", "Chaim",
         "Menachem", "Devorah", "Miriam", "Shlomo"],
        ["Cohen", "Levi", "Mizrahi", "Friedman", "Katz", "Goldberg", "Rosenberg", "Shapiro", "Weiss",
         "Schwartz", "Ben-David", "Birnbaum", "Horowitz", "Abramowitz"],
    ),
    "slavic": (
        ["Olga", "Irina", "Natalia", "Svetlana", "Tatiana", "Ekaterina", "Anastasia", "Dmitri",
         "Sergei", "Alexei", "Vladimir", "Mikhail", "Nikolai", "Yuri", "Oksana", "Bogdan", "Wojciech",
         "Krzysztof", "Małgorzata", "Agnieszka", "Katarzyna", "Grzegorz", "Tomasz", "Piotr",
         "Zbigniew", "Jiří", "Petr", "Zuzana", "Lenka", "Miroslav", "Dragan", "Milica", "Jelena",
         "Nikola", "Goran", "Vesna", "Zoran", "Ludmila"],
        ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov",
         "Novikov", "Morozov", "Volkov", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński",
         "Lewandowski", "Zieliński", "Szymański", "Dąbrowski", "Kowalczyk", "Jankowski", "Mazur",
         "Krawczyk", "Novák", "Dvořák", "Svoboda", "Černý", "Procházka", "Horvat", "Kovačević",
         "Petrović", "Jovanović", "Nikolić", "Marković", "Đorđević", "Shevchenko", "Kovalenko",
         "Bondarenko", "Tkachenko", "Kravchenko", "Oliynyk", "Ivanova", "Petrova"],
    ),
    "germanic": (
        ["Hans", "Jürgen", "Klaus", "Dieter", "Ulrike", "Sabine", "Birgit", "Heike", "Anke",
         "Wolfgang", "Matthias", "Lukas", "Jannik", "Femke", "Sanne", "Lieke", "Bram", "Joost",
         "Pieter", "Maarten", "Wouter", "Ingrid", "Astrid", "Sigrid", "Lars", "Nils", "Sven", "Bjørn",
         "Erik", "Magnus", "Kirsten", "Freja", "Søren", "Henrik", "Mikael", "Annika", "Liisa", "Jukka",
         "Päivi", "Gunther"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Becker", "Schulz",
         "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
         "Schwarz", "Zimmermann", "von Braun", "von Trapp", "von der Heide", "van der Berg",
         "van den Broek", "van Dijk", "de Vries", "de Jong", "van Beek", "van Leeuwen", "de Boer",
         "van der Linden", "ter Horst", "Jansen", "Bakker", "Visser", "Smit", "Mulder", "Vos",
         "Peeters", "Vermeulen", "Lindqvist", "Johansson", "Andersson", "Karlsson", "Nilsson",
         "Eriksson", "Larsson", "Olsen", "Hansen", "Pedersen", "Nielsen", "Jørgensen", "Kristiansen",
         "Halvorsen", "Virtanen", "Mäkinen", "Korhonen", "Hämäläinen", "Van Buren", "VanderMeer"],
    ),
    "romance": (
        ["Jean-Luc", "Jean-Pierre", "Marie-Claire", "Anne-Sophie", "Pierre", "Élodie", "Amélie",
         "Étienne", "François", "Thérèse", "Geneviève", "Benoît", "Océane", "Giuseppe", "Giovanni",
         "Francesca", "Alessandra", "Lorenzo", "Matteo", "Chiara", "Giulia", "Vincenzo", "Salvatore",
         "Rosaria", "Concetta", "Marie-Ève", "Luc", "Aurélie"],
        ["Dubois", "Lefebvre", "Moreau", "Laurent", "Girard", "Fontaine", "Rousseau", "Lambert",
         "Bonnet", "Dupont", "Le Goff", "Le Blanc", "LeBlanc", "Lemieux", "Gagnon", "Tremblay",
         "Côté", "Bouchard", "Thibodeaux", "Boudreaux", "Fontenot", "Arceneaux", "D'Amico",
         "D'Angelo", "DeLuca", "De Luca", "Di Stefano", "DiMaggio", "Esposito", "Romano", "Colombo",
         "Ricci", "Marino", "Greco", "Gallo", "Conti", "Mancini", "Lombardi", "Moretti", "Barbieri",
         "Santoro", "Caruso", "Ferrari", "Russo", "Rizzo", "Lo Bianco", "La Rosa", "Dell'Aquila",
         "D'Alessandro", "de la Croix", "St. Pierre", "Saint-Jean"],
    ),
    "greek_turkish_persian": (
        ["Georgios", "Dimitrios", "Konstantinos", "Eleni", "Athanasios", "Panagiotis", "Vasiliki",
         "Mehmet", "Ayşe", "Emre", "Elif", "Zeynep", "Dariush", "Farzaneh", "Shirin", "Reza",
         "Parisa", "Babak", "Nasrin", "Stavros"],
        ["Papadopoulos", "Papadakis", "Georgiou", "Nikolaidis", "Konstantinou", "Karagiannis",
         "Vlachos", "Economou", "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan",
         "Doğan", "Tehrani", "Moradi", "Jafari", "Mohammadi", "Sadeghi", "Hosseini"],
    ),
    "indigenous_pacific": (
        ["Keoni", "Leilani", "Kalani", "Makana", "Noelani", "Kainoa", "Winona", "Tallulah", "Dakota",
         "Cheyenne", "Ahanu", "Nizhoni"],
        ["Kahananui", "Kealoha", "Nakoa", "Begay", "Yazzie", "Tsosie", "Benally", "Etsitty",
         "Whitehorse", "Tallbear", "Redcloud", "Kekumu", "Nez", "Manuelito"],
    ),
}

# Given names that are also English words or months.
WORD_GIVEN = ["Hope", "Faith", "Joy", "Grace", "Rose", "Lily", "Iris", "Ivy", "Dawn", "Summer",
              "April", "June", "Will", "Bill", "Rusty", "Buddy", "Sunny", "Destiny", "Precious",
              "Unique", "King", "Major", "Royal", "Justice", "Honesty", "Chance", "Hunter", "Mason",
              "Baker", "Porter", "Carter", "Taylor", "Parker", "Cooper", "Brook", "River", "Sky",
              "Rain", "Storm", "Pearl", "Ruby", "Amber", "Crystal", "Heather", "Holly", "Autumn",
              "Mercy", "Charity", "Patience", "Constance", "Victor", "Frank", "Earnest", "Gay",
              "Harmony", "Melody", "Star", "Jewel", "Sterling", "Clay", "Dusty", "Forrest"]

CITIES = [
    "New York|NY", "Los Angeles|CA", "Chicago|IL", "Houston|TX", "Phoenix|AZ", "Philadelphia|PA",
    "San Antonio|TX", "San Diego|CA", "Dallas|TX", "San Jose|CA", "Austin|TX", "Jacksonville|FL",
    "Fort Worth|TX", "Columbus|OH", "Charlotte|NC", "Indianapolis|IN", "San Francisco|CA",
    "Seattle|WA", "Denver|CO", "Oklahoma City|OK", "Nashville|TN", "El Paso|TX", "Las Vegas|NV",
    "Boston|MA", "Portland|OR", "Louisville|KY", "Memphis|TN", "Detroit|MI", "Baltimore|MD",
    "Milwaukee|WI", "Albuquerque|NM", "Tucson|AZ", "Fresno|CA", "Sacramento|CA", "Mesa|AZ",
    "Kansas City|MO", "Atlanta|GA", "Omaha|NE", "Colorado Springs|CO", "Raleigh|NC",
    "Long Beach|CA", "Virginia Beach|VA", "Miami|FL", "Oakland|CA", "Minneapolis|MN", "Tulsa|OK",
    "Bakersfield|CA", "Wichita|KS", "Arlington|TX", "Aurora|CO", "Tampa|FL", "New Orleans|LA",
    "Cleveland|OH", "Honolulu|HI", "Anaheim|CA", "Lexington|KY", "Stockton|CA", "Corpus Christi|TX",
    "Henderson|NV", "Riverside|CA", "Newark|NJ", "Saint Paul|MN", "Santa Ana|CA", "Cincinnati|OH",
    "Irvine|CA", "Orlando|FL", "Pittsburgh|PA", "St. Louis|MO", "Greensboro|NC", "Jersey City|NJ",
    "Anchorage|AK", "Lincoln|NE", "Plano|TX", "Durham|NC", "Buffalo|NY", "Chandler|AZ",
    "Chula Vista|CA", "Toledo|OH", "Madison|WI", "Gilbert|AZ", "Reno|NV", "Fort Wayne|IN",
    "North Las Vegas|NV", "St. Petersburg|FL", "Lubbock|TX", "Irving|TX", "Laredo|TX",
    "Winston-Salem|NC", "Chesapeake|VA", "Glendale|AZ", "Garland|TX", "Scottsdale|AZ", "Norfolk|VA",
    "Boise|ID", "Fremont|CA", "Spokane|WA", "Santa Clarita|CA", "Baton Rouge|LA", "Richmond|VA",
    "Hialeah|FL", "San Bernardino|CA", "Tacoma|WA", "Modesto|CA", "Huntsville|AL", "Des Moines|IA",
    "Yonkers|NY", "Rochester|NY", "Moreno Valley|CA", "Fayetteville|AR", "Fontana|CA",
    "Worcester|MA", "Port St. Lucie|FL", "Little Rock|AR", "Augusta|GA", "Oxnard|CA",
    "Birmingham|AL", "Montgomery|AL", "Frisco|TX", "Amarillo|TX", "Salt Lake City|UT",
    "Grand Rapids|MI", "Huntington Beach|CA", "Overland Park|KS", "Tallahassee|FL",
    "Grand Prairie|TX", "McKinney|TX", "Cape Coral|FL", "Sioux Falls|SD", "Peoria|IL",
    "Providence|RI", "Vancouver|WA", "Knoxville|TN", "Akron|OH", "Shreveport|LA", "Mobile|AL",
    "Brownsville|TX", "Newport News|VA", "Fort Lauderdale|FL", "Chattanooga|TN", "Tempe|AZ",
    "Santa Rosa|CA", "Eugene|OR", "Elk Grove|CA", "Salem|OR", "Ontario|CA", "Cary|NC",
    "Rancho Cucamonga|CA", "Oceanside|CA", "Lancaster|PA", "Garden Grove|CA", "Pembroke Pines|FL",
    "Fort Collins|CO", "Palmdale|CA", "Springfield|IL", "Clarksville|TN", "Rockford|IL",
    "Alexandria|VA", "Paterson|NJ", "Hayward|CA", "Macon|GA", "Lakewood|CO", "Murfreesboro|TN",
    "Bridgeport|CT", "Savannah|GA", "Syracuse|NY", "Killeen|TX", "Mesquite|TX", "Pasadena|CA",
    "Joliet|IL", "Torrance|CA", "Dayton|OH", "Naperville|IL", "Bellevue|WA", "Hartford|CT",
    "New Haven|CT", "Ann Arbor|MI", "Gainesville|FL", "Athens|GA", "Boulder|CO", "Burlington|VT",
    "Bangor|ME", "Duluth|MN", "Fargo|ND", "Billings|MT", "Missoula|MT", "Cheyenne|WY", "Casper|WY",
    "Bozeman|MT", "Flagstaff|AZ", "Santa Fe|NM", "Las Cruces|NM", "Yuma|AZ", "Tupelo|MS",
    "Biloxi|MS", "Hattiesburg|MS", "Dothan|AL", "Tuscaloosa|AL", "Muncie|IN", "Terre Haute|IN",
    "Kalamazoo|MI", "Saginaw|MI", "Flint|MI", "Lansing|MI", "Scranton|PA", "Allentown|PA",
    "Erie|PA", "Altoona|PA", "Wilkes-Barre|PA", "Utica|NY", "Schenectady|NY", "Poughkeepsie|NY",
    "Ithaca|NY", "Binghamton|NY", "Elmira|NY", "Lowell|MA", "Brockton|MA", "Fall River|MA",
    "New Bedford|MA", "Pawtucket|RI", "Nashua|NH", "Manchester|NH", "Portsmouth|NH", "Concord|NH",
    "Montpelier|VT", "Rutland|VT", "Lewiston|ME", "Wheeling|WV", "Morgantown|WV", "Huntington|WV",
    "Charleston|WV", "Roanoke|VA", "Lynchburg|VA", "Danville|VA", "Asheville|NC", "Wilmington|NC",
    "Greenville|SC", "Spartanburg|SC", "Columbia|SC", "Florence|SC", "Valdosta|GA", "Albany|GA",
    "Pensacola|FL", "Ocala|FL", "Lakeland|FL", "Sarasota|FL", "Naples|FL", "Key West|FL",
    "Daytona Beach|FL", "Coeur d'Alene|ID", "Twin Falls|ID", "Pocatello|ID", "Walla Walla|WA",
    "Yakima|WA", "Bellingham|WA", "Olympia|WA", "Medford|OR", "Bend|OR", "Redding|CA", "Chico|CA",
    "Visalia|CA", "Merced|CA", "Salinas|CA", "San Luis Obispo|CA", "Santa Barbara|CA",
    "Ventura|CA", "Palm Springs|CA", "Temecula|CA", "El Centro|CA", "Kingman|AZ", "Prescott|AZ",
    "Sedona|AZ", "Farmington|NM", "Roswell|NM", "Abilene|TX", "Odessa|TX", "Midland|TX", "Waco|TX",
    "Tyler|TX", "Beaumont|TX", "McAllen|TX", "Harlingen|TX", "Victoria|TX", "San Angelo|TX",
    "Wichita Falls|TX", "Lawton|OK", "Enid|OK", "Stillwater|OK", "Joplin|MO", "Jefferson City|MO",
    "Cape Girardeau|MO", "Paducah|KY", "Bowling Green|KY", "Owensboro|KY", "Jonesboro|AR",
    "Texarkana|AR", "Pine Bluff|AR", "Hot Springs|AR", "Monroe|LA", "Lafayette|LA",
    "Lake Charles|LA", "Houma|LA", "Gulfport|MS", "Meridian|MS", "Normal|IL", "Independence|MO",
    "Marietta|GA", "Paradise|NV", "Hope|AR", "Liberty|MO", "Commerce|CA", "Friendship|WI",
    "Sweet Home|OR", "Mount Pleasant|SC", "Fort Myers|FL", "Port Arthur|TX", "Lake Havasu City|AZ",
    "West Palm Beach|FL", "East Lansing|MI", "South Bend|IN", "North Charleston|SC",
    "St. Cloud|MN", "St. George|UT", "Sault Ste. Marie|MI", "Winston|OR", "O'Fallon|MO",
    "Pharr|TX", "Hilo|HI", "Kailua|HI", "Juneau|AK", "Fairbanks|AK", "Provo|UT", "Ogden|UT",
    "Green Bay|WI", "Oshkosh|WI", "Eau Claire|WI", "La Crosse|WI", "Rapid City|SD", "Bismarck|ND",
    "Grand Forks|ND", "Kearney|NE", "Grand Island|NE", "Topeka|KS", "Manhattan|KS", "Dodge City|KS",
]

STREETS = [
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Walnut",
    "Sunset", "Lincoln", "Jackson", "Church", "River", "Highland", "Meadow", "Forest", "Spring",
    "Ridge", "Willow", "Chestnut", "Dogwood", "Magnolia", "Peachtree", "Cherry", "Birch", "Sycamore",
    "Hickory", "Laurel", "Juniper", "Aspen", "Cottonwood", "Mesquite", "Saguaro", "Bluebonnet",
    "Martin Luther King Jr", "Cesar Chavez", "Broadway", "Market", "Commerce", "Industrial",
    "College", "University", "Airport", "Railroad", "Mill", "Water", "Front", "Bridge", "Canal",
    "Harbor", "Bay", "Ocean", "Beach", "Shore", "Prospect", "Pleasant", "Mount Vernon", "Old Mill",
    "Fox Run", "Deer Creek", "Quail Hollow", "Eagle Crest", "Stonebridge", "Country Club",
    "Greenbriar", "Windsor", "Kensington", "Chelsea", "Carriage", "Wagon Wheel", "Saddle",
    "Rolling Hills", "Valley View", "Vista Del Mar", "El Camino Real", "Calle Principal",
    "Avenida Juarez", "1st", "2nd", "3rd", "4th", "5th", "42nd", "101st", "7th", "12th", "23rd",
    "Franklin", "Jefferson", "Madison", "Monroe", "Adams", "Grant", "Sherman", "Kennedy", "Roosevelt",
    "Wilson", "Harrison", "Polk", "Tyler", "Taylor", "Pierce", "Fillmore", "Buchanan", "Garfield",
    "McKinley", "Hoover", "Truman", "Eisenhower", "Edgewood", "Brookside", "Lakeview", "Riverside",
    "Hillcrest", "Fairview", "Woodland", "Glenwood", "Oakwood", "Pinecrest", "Briarwood",
    "Cobblestone", "Summit", "Crestview", "Sunnyside", "Bellevue", "Clearwater", "Silver Lake",
    "Timber Ridge", "Wildflower", "Honeysuckle", "Primrose", "Larkspur", "Heron", "Osprey",
    "Kingfisher", "Cardinal", "Bluebird", "Robin", "Sparrow", "Lark", "Partridge", "Pheasant",
    "Mockingbird", "Whippoorwill", "St. Charles", "O'Farrell", "De la Vina", "Rue Royale",
]

SAINTS = ["Joseph", "Mary", "Luke", "Jude", "Vincent", "Francis", "Elizabeth", "Anthony",
          "Catherine", "Agnes", "Barnabas", "Clare", "Rita", "Peter", "Michael", "John", "Patrick",
          "Bernard", "Dominic", "Alphonsus", "Cloud", "Augustine", "Margaret", "Theresa", "Mark",
          "Paul", "James", "Helena", "Benedict", "Charles", "Gabriel", "Raphael", "Andrew", "Thomas"]

EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com",
                 "comcast.net", "protonmail.com", "att.net", "verizon.net", "msn.com", "live.com",
                 "me.com", "mail.com", "sbcglobal.net", "cox.net", "charter.net", "earthlink.net",
                 "ymail.com", "bellsouth.net", "optonline.net", "frontier.com", "windstream.net",
                 "gmx.com", "fastmail.com", "zoho.com", "rocketmail.com", "juno.com",
                 "valleyhealth.org", "stmarys.org", "uhospitals.edu", "mercyhealth.org",
                 "northside.health", "bayview-clinic.com", "lakeshoremed.org", "riversidemc.org",
                 "summitcare.net", "pinecrest.health", "harborview.org", "cedarhills.org"]

WEB_WORDS = ["valleyhealth", "stmarys", "mercycare", "northsidemed", "bayviewclinic", "lakeshore",
             "riversidemc", "summitcare", "pinecresthealth", "harborviewmed", "cedarhills",
             "meadowbrook", "oakridgeclinic", "sunrisehealth", "westbrookmed", "granitecare",
             "silverlakemd", "brightpath", "clearwaterhealth", "redwoodclinic", "bluehillmed",
             "evergreencare", "lakewoodhealth", "stonegatemed", "maplegrovehealth", "coastalcare",
             "prairiehealth", "desertviewmed", "mountainwest", "heartlandclinic", "tidewatermed",
             "peachtreehealth", "ozarkcare", "cascadeclinic", "sierramed", "gulfcoasthealth",
             "greatlakesmed", "piedmontcare", "chesapeakehealth", "sonoranclinic"]

# Hospital name forms: {saint}, {city}, {fam} (a family name), {word}.
HOSPITAL_WORDS = ["Sacred Heart", "Good Samaritan", "Mercy", "Providence", "Presbyterian",
                  "Methodist", "Baptist", "Lutheran", "Trinity", "Grace", "Holy Cross",
                  "Valley", "Riverside", "Lakeside", "Parkview", "Hillcrest", "Summit", "Bayfront",
                  "Northside", "Southwest", "Highland", "Pinecrest", "Cedar Ridge", "Oak Hill",
                  "Maple Grove", "Sunrise", "Evergreen", "Harbor", "Meadowbrook", "Willow Creek",
                  "Silver Lake", "Granite Peak", "Redwood", "Blue Ridge", "Golden Valley",
                  "Prairie View", "Desert Springs", "Mountain View", "Seaside", "Brookside"]


def _half(items, part):
    """Alternate entries: even positions for "tune", odd for "heldout"."""
    k = 0 if part == "tune" else 1
    return [x for i, x in enumerate(items) if i % 2 == k]


# Made-up town names in the style of generated test data ("West Amanda",
# "Davisview", "Lake Jessicaburgh"): a place prefix or suffix around a name.
TOWN_PREFIXES = ["North", "South", "East", "West", "New", "Lake", "Port", "Fort", "Mount", "Glen",
                 "Saint", "Grand", "Little", "Old"]
TOWN_SUFFIXES = ["ville", "town", "burgh", "berg", "bury", "view", "side", "land", "mouth", "haven",
                 "fort", "chester", "stad", "field", "ton", "port", "furt", "shire", "borough", "mont"]


def _made_up_towns(rng, given, family, count):
    import unicodedata

    def plain(s):
        return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()

    names = [plain(n) for n in given + family if n.isalpha() and n[0].isupper() and len(n) > 2]
    towns = set()
    while len(towns) < count:
        n = rng.choice(names)
        form = rng.randrange(3)
        if form == 0:
            towns.add(f"{rng.choice(TOWN_PREFIXES)} {n}")
        elif form == 1:
            towns.add(n + rng.choice(TOWN_SUFFIXES))
        else:
            towns.add(f"{rng.choice(TOWN_PREFIXES)} {n}{rng.choice(TOWN_SUFFIXES)}")
    return sorted(towns)


def vocabulary(part, hospital_forms):
    import random

    state_names = dict(STATES)
    cultures = []
    for given, family in CULTURES.values():
        cultures.append({"given": _half(given, part), "family": _half(family, part)})
    cities = []
    for c in _half(CITIES, part):
        name, abbr = c.split("|")
        cities.append((name, abbr, state_names[abbr]))
    # As many made-up towns as real ones, from this part's own names.
    rng = random.Random(part)
    given = [g for c in cultures for g in c["given"]]
    family = [f for c in cultures for f in c["family"]]
    for town in _made_up_towns(rng, given, family, len(cities)):
        abbr, full = rng.choice(STATES)
        cities.append((town, abbr, full))
    return {
        "cultures": cultures,
        "word_given": _half(WORD_GIVEN, part),
        "cities": cities,
        "streets": _half(STREETS, part),
        "saints": _half(SAINTS, part),
        "email_domains": _half(EMAIL_DOMAINS, part),
        "web_words": _half(WEB_WORDS, part),
        "hospital_words": _half(HOSPITAL_WORDS, part),
        "hospital_forms": hospital_forms,
    }
