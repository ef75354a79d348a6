//! The two synthetic corpora and their queries.
//!
//! - `adversarial` (the corpus of the first benchmark, unchanged): 24 phrases of 4–6 characters, every title
//!   and body drawn from them uniformly, so that each word is in about 80% of the documents and every query
//!   matches most of the corpus; six agencies, six years.
//! - `zipf`: a vocabulary of [`VOCABULARY`] real words — the dictionary words of jieba (the segmenter the index
//!   uses) made of [`CHARS`], common characters, ranked by jieba's own word frequencies — drawn with a Zipf
//!   distribution (s = 1.0), written without separators as Chinese is; 40 agencies of Zipf-like sizes, ten
//!   years, eight 体裁, twelve 主题, 有效性 on 办法/意见/决定. Queries are one or two words from the same
//!   distribution (so about a third are among the twenty most frequent words and match most documents, the
//!   rest are rarer), a third scoped to an agency and a fifth to a year.

use gongkai_search::{SearchDoc, SearchQuery};
use tantivy_jieba::jieba_rs::Jieba;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Adversarial,
    Zipf,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Adversarial => "adversarial",
            Kind::Zipf => "zipf",
        }
    }
}

/// xorshift64: fast and deterministic, the same sequence on every machine.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Draws ranks 0..n with probability proportional to 1 / (rank + 1)^s.
struct Zipf {
    cumulative: Vec<f64>,
}
impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut sum = 0.0;
        let cumulative = (1..=n)
            .map(|r| {
                sum += 1.0 / (r as f64).powf(s);
                sum
            })
            .collect();
        Self { cumulative }
    }
    fn draw(&self, rng: &mut Rng) -> usize {
        let u = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative.partition_point(|c| *c <= u).min(self.cumulative.len() - 1)
    }
}

pub struct Corpus {
    pub kind: Kind,
    rng: Rng,
    /// zipf: the vocabulary, most frequent first, and the agencies.
    vocabulary: Vec<String>,
    words: Zipf,
    agencies: Vec<(String, String)>,
    agency_sizes: Zipf,
}

// ---- adversarial ----

const WORDS: &[&str] = &[
    "政府信息公开",
    "安全生产",
    "防汛抗旱",
    "优化营商环境",
    "政务服务",
    "乡村振兴",
    "生态环境保护",
    "财政预算",
    "行政许可",
    "行政处罚",
    "社会救助",
    "公共卫生",
    "食品安全",
    "教育资助",
    "就业创业",
    "重点项目",
    "城市管理",
    "土地征收",
    "房屋征收",
    "统计信息",
    "应急预案",
    "监督检查",
    "公务员招考",
    "规范性文件",
];
const GENRES: &[&str] = &["通知", "公告", "意见", "办法", "报告", "通报"];
const AGENCIES: &[&str] = &["yima", "yima-office", "yima-edu", "yima-nr", "yima-health", "yima-xinqu"];

// ---- zipf ----

/// About 600 of the most frequent Chinese characters, and those of government documents.
const CHARS: &str = "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所\
去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知使全\
部开实高现长把已点身给体间力很但回动等想制问意理水化展情政明重机月比外相老第数果本提最新内合特由向关业者\
正文物反平各产社保结常少至统件求解变基市通何务总原计信连思教品应达活今建工量界性设加设放级务区员革各治\
改入立管验指才步组农领济资带据民族术受科委程调类导际务省书选治权条议议展研料组强流接党型持局整务商展\
环境安全生态保护卫健康医疗养老住房交通水利防汛应急监督检查审批许可处罚执法场监企项目投金融财预算税费\
价格征收土地规划城乡村振兴扶贫救助就业创业服务政府办公室人事劳动资源能源林业草原粮食储备旅游体育科技\
工业息网络电子数字档案统计审计消防公安司法律师民政宗教侨务外事港澳台残疾妇女儿童青年老龄退役军人乡镇街道";

pub const VOCABULARY: usize = 4000;
const ZIPF_S: f64 = 1.0;
const ZIPF_GENRES: &[&str] = &["通知", "公告", "意见", "办法", "报告", "通报", "决定", "批复"];
const ZIPF_TOPICS: &[&str] = &[
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "卫生、体育",
    "劳动、人事、监察",
];
const VALIDITIES: &[&str] = &["现行有效", "已修改", "已废止"];
const AGENCY_KINDS: &[&str] = &[
    "人民政府办公室",
    "教育局",
    "自然资源局",
    "卫生健康委员会",
    "财政局",
    "民政局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "商务局",
    "文化广电和旅游局",
    "应急管理局",
    "市场监督管理局",
    "统计局",
    "生态环境局",
    "发展和改革委员会",
    "公安局",
    "司法局",
];

/// The vocabulary: jieba dictionary words of two characters from [`CHARS`], of three (two-character word and
/// a character) and of four (two two-character words), each one token for jieba's own segmentation, ranked by
/// jieba's frequency (the one it segments with), the first [`VOCABULARY`].
fn vocabulary(jieba: &Jieba) -> Vec<String> {
    let mut chars: Vec<char> = CHARS.chars().collect();
    chars.sort_unstable();
    chars.dedup();
    let single = |w: &str| {
        let tokens = jieba.cut(w, false);
        tokens.len() == 1 && tokens[0].word == w
    };
    let freq = |w: &str| jieba.suggest_freq(w);
    let mut two: Vec<(usize, String)> = Vec::new();
    for a in &chars {
        for b in &chars {
            let w: String = [*a, *b].iter().collect();
            if jieba.has_word(&w) && single(&w) {
                two.push((freq(&w), w));
            }
        }
    }
    two.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut all = two.clone();
    for (_, w) in two.iter().take(1500) {
        for c in &chars {
            let w3 = format!("{w}{c}");
            if jieba.has_word(&w3) && single(&w3) {
                all.push((freq(&w3), w3));
            }
        }
        for (_, v) in two.iter().take(1500) {
            let w4 = format!("{w}{v}");
            if jieba.has_word(&w4) && single(&w4) {
                all.push((freq(&w4), w4));
            }
        }
    }
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    all.dedup_by(|a, b| a.1 == b.1);
    all.into_iter().take(VOCABULARY).map(|(_, w)| w).collect()
}

impl Corpus {
    pub fn new(kind: Kind) -> Self {
        let (vocabulary, agencies) = match kind {
            Kind::Adversarial => (Vec::new(), Vec::new()),
            Kind::Zipf => {
                let agencies = (0..40)
                    .map(|i| {
                        let town = ["义马市", "渑池县", "陕州区", "卢氏县"][i / AGENCY_KINDS.len() % 4];
                        (format!("agency-{i:02}"), format!("{town}{}", AGENCY_KINDS[i % AGENCY_KINDS.len()]))
                    })
                    .collect();
                (vocabulary(&Jieba::new()), agencies)
            }
        };
        Self {
            kind,
            rng: Rng::new(0x9E37_79B9_7F4A_7C15),
            words: Zipf::new(vocabulary.len().max(1), ZIPF_S),
            vocabulary,
            agency_sizes: Zipf::new(40, 0.8),
            agencies,
        }
    }

    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    fn adversarial_word(&mut self) -> &'static str {
        WORDS[self.rng.below(WORDS.len())]
    }

    fn zipf_word(&mut self) -> &str {
        let i = self.words.draw(&mut self.rng);
        &self.vocabulary[i]
    }

    fn zipf_words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.zipf_word().to_owned()).collect()
    }

    /// Document `i` (documents must be drawn in order: they share the random sequence).
    pub fn doc(&mut self, i: u64) -> SearchDoc {
        match self.kind {
            Kind::Adversarial => self.adversarial_doc(i),
            Kind::Zipf => self.zipf_doc(i),
        }
    }

    fn adversarial_doc(&mut self, i: u64) -> SearchDoc {
        let (a, b, c) = (self.adversarial_word(), self.adversarial_word(), self.adversarial_word());
        let body = (0..12)
            .map(|_| {
                let (x, y, z) = (self.adversarial_word(), self.adversarial_word(), self.adversarial_word());
                format!("为进一步做好{x}工作，推进{y}，各单位要加强{z}。")
            })
            .collect::<String>();
        let agency = AGENCIES[(i % AGENCIES.len() as u64) as usize];
        SearchDoc {
            id: i,
            agency_code: agency.into(),
            agency_name: format!("{agency}机构"),
            column_slug: "tzgg".into(),
            column_name: "通知公告".into(),
            title: format!("关于做好{a}和{b}工作的{}", GENRES[(i % GENRES.len() as u64) as usize]),
            body_text: format!("{body}{c}"),
            doc_no: format!("义政办〔{}〕{}号", 2019 + i % 6, i % 500 + 1),
            index_no: format!("{agency}/{}-{:05}", 2019 + i % 6, i),
            genre: GENRES[(i % GENRES.len() as u64) as usize].into(),
            topic: "综合政务".into(),
            validity: String::new(),
            year: 2019 + i % 6,
            published: String::new(),
        }
    }

    fn zipf_doc(&mut self, i: u64) -> SearchDoc {
        let (code, name) = self.agencies[self.agency_sizes.draw(&mut self.rng)].clone();
        let genre = ZIPF_GENRES[self.rng.below(ZIPF_GENRES.len())];
        let year = 2015 + self.rng.below(10) as u64;
        let title_words = 2 + self.rng.below(3);
        let title = format!("关于{}的{genre}", self.zipf_words(title_words));
        let mut body = String::new();
        for _ in 0..12 {
            let (a, b) = (3 + self.rng.below(3), 3 + self.rng.below(3));
            body.push_str(&self.zipf_words(a));
            body.push('，');
            body.push_str(&self.zipf_words(b));
            body.push('。');
        }
        let validity = match genre {
            "办法" | "意见" | "决定" => VALIDITIES[self.rng.below(VALIDITIES.len())],
            _ => "",
        };
        SearchDoc {
            id: i,
            agency_code: code.clone(),
            agency_name: name,
            column_slug: "zcwj".into(),
            column_name: "政策文件".into(),
            title,
            body_text: body,
            doc_no: format!("义政办〔{year}〕{}号", i % 500 + 1),
            index_no: format!("{code}/{year}-{i:07}"),
            genre: genre.into(),
            topic: ZIPF_TOPICS[self.rng.below(ZIPF_TOPICS.len())].into(),
            validity: validity.into(),
            year,
            published: String::new(),
        }
    }

    /// `n` portal queries (after the documents: they continue the random sequence).
    pub fn queries(&mut self, n: usize) -> Vec<SearchQuery> {
        (0..n)
            .map(|i| match self.kind {
                Kind::Adversarial => SearchQuery {
                    text: match i % 4 {
                        0 => self.adversarial_word().to_owned(),
                        1 => format!("{} {}", self.adversarial_word(), self.adversarial_word()),
                        2 => format!("义政办〔{}〕{}号", 2019 + i % 6, i % 500 + 1),
                        _ => "政府信息公开".to_owned(),
                    },
                    agency: (i % 3 == 0).then(|| AGENCIES[i % AGENCIES.len()].to_owned()),
                    year: (i % 5 == 0).then_some(2023),
                    limit: 10,
                    ..Default::default()
                },
                Kind::Zipf => {
                    let text = match i % 5 {
                        0..=2 => self.zipf_word().to_owned(),
                        _ => format!("{} {}", self.zipf_word().to_owned(), self.zipf_word()),
                    };
                    let agency = (i % 3 == 0).then(|| self.agencies[self.agency_sizes.draw(&mut self.rng)].0.clone());
                    let year = (i % 5 == 1).then(|| 2015 + self.rng.below(10) as u64);
                    SearchQuery { text, agency, year, limit: 10, ..Default::default() }
                }
            })
            .collect()
    }
}
