//! Demo catalog content: 义马市人民政府办公室 with 227 items published in 2023 across its columns (none of
//! them a 规章 or 规范性文件, as its annual report states), and a few 规范性文件 in other demo agencies, one of
//! them repealed by a newer one. Generated deterministically, so every demo looks the same.

use crate::catalog::{BEIJING, html_to_text, sanitize_html};
use crate::{App, AppError, Result};
use gongkai_domain::audit::AuditAction;
use gongkai_domain::catalog::FixedColumn;
use gongkai_domain::catalog::{DocClass, Validity};
use gongkai_store::agencies::Agency;
use gongkai_store::catalog::{self, EntryFields};
use gongkai_store::{Actor, NewAuditEvent, Tx, audit};
use serde_json::json;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, Weekday};

/// How many items the office published in 2023 (its annual report's figure).
pub const OFFICE_ITEMS_2023: usize = 227;

/// (column slug, number of items) for the office; the sum is [`OFFICE_ITEMS_2023`].
const OFFICE_PLAN: &[(&str, usize)] = &[
    ("gzdt", 79),
    ("zfkb", 30),
    ("tzgg", 25),
    ("xxzl", 12),
    ("zcjd", 10),
    ("tjxx", 12),
    ("zfcg", 8),
    ("msly", 8),
    ("xzxk", 6),
    ("zdxm", 6),
    ("yjgl", 6),
    ("jdjc", 5),
    ("czzj", 4),
    ("ghxx", 3),
    ("jgzn", 2),
    ("xzsf", 2),
    ("gwyzk", 2),
    ("szjs", 2),
    ("bmgk", 1),
    ("ggfw", 1),
    ("shjz", 1),
    ("gkzn", 1),
    ("gknb", 1),
];

const TOPICS: &[&str] = &[
    "安全生产",
    "防汛抗旱",
    "优化营商环境",
    "政务服务",
    "乡村振兴",
    "生态环境保护",
    "森林防灭火",
    "创建全国文明城市",
    "招商引资",
    "重点项目建设",
    "信访稳定",
    "政务公开",
    "食品安全",
    "城市精细化管理",
    "民生实事",
    "数字政府建设",
];

const PLACES: &[&str] =
    &["新区街道", "千秋路街道", "泰山路街道", "东区街道", "常村路街道", "朝阳路街道", "新义街街道", "东城区"];

/// A small deterministic generator (xorshift64*), so the demo is the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

fn cn_month(m: u8) -> String {
    format!("{m}月")
}

/// Title, 体裁 and body paragraphs of the `n`-th item (0-based) of a column, published on `day`.
fn office_item(slug: &str, n: usize, day: Date, rng: &mut Rng) -> (String, &'static str, Vec<String>) {
    let topic = rng.pick(TOPICS);
    let place = rng.pick(PLACES);
    let m = u8::from(day.month());
    let (title, genre) = match slug {
        "gzdt" => (
            match n % 6 {
                0 => format!("市政府办公室召开{topic}工作推进会"),
                1 => format!("市政府办公室赴{place}调研{topic}工作"),
                2 => format!("义马市{topic}工作取得阶段性成效（{}）", cn_month(m)),
                3 => format!("市政府办公室开展{topic}专项督查"),
                4 => format!("{place}扎实推进{topic}工作"),
                _ => format!("市政府办公室组织开展{topic}业务培训"),
            },
            "动态",
        ),
        "zfkb" => (format!("义马政务快报（2023年第{}期）", n + 1), "简报"),
        "tzgg" => (
            match n % 4 {
                0 => format!("关于做好2023年{}{topic}工作的通知", cn_month(m)),
                1 => format!("关于开展{topic}专项检查的通知"),
                2 => format!("关于{}假期值班安排的通知", if m < 6 { "劳动节" } else { "国庆节" }),
                _ => format!("关于公开征求《义马市{topic}工作方案（征求意见稿）》意见的公告"),
            },
            if n % 4 == 3 { "公告" } else { "通知" },
        ),
        "xxzl" => (format!("学习资料：{topic}相关法律法规摘编（{}）", n + 1), "其他"),
        "zcjd" => (format!("一图读懂《义马市{topic}实施方案》"), "解读"),
        "tjxx" => (format!("2023年{}份义马市主要经济指标", cn_month(((n % 12) + 1) as u8)), "统计"),
        "zfcg" => (format!("义马市人民政府办公室{topic}服务采购项目{}公告", ["招标", "中标"][n % 2]), "公告"),
        "msly" => {
            (format!("义马市2023年{}政策落实情况", ["就业创业补贴", "城乡低保", "教育资助", "医疗救助"][n % 4]), "报告")
        }
        "xzxk" => (format!("市政务服务中心{topic}相关事项办事指南（第{}批）", n + 1), "指南"),
        "zdxm" => (format!("义马市2023年重点建设项目进展情况（第{}季度）", n % 4 + 1), "报告"),
        "yjgl" => (format!("义马市{}应急预案演练情况通报", ["防汛", "地质灾害", "森林火灾"][n % 3]), "通报"),
        "jdjc" => (format!("义马市{topic}监督检查情况通报（{}）", cn_month(m)), "通报"),
        "czzj" => (
            [
                "义马市人民政府办公室2023年部门预算",
                "义马市人民政府办公室2022年部门决算",
                "义马市人民政府办公室2023年“三公”经费预算说明",
                "义马市人民政府办公室2022年“三公”经费决算说明",
            ][n % 4]
                .to_owned(),
            "报告",
        ),
        "ghxx" => (format!("义马市“十四五”{topic}专项规划实施情况（{}）", n + 1), "规划"),
        "jgzn" => (["义马市人民政府办公室主要职责", "义马市人民政府办公室内设机构"][n % 2].to_owned(), "其他"),
        "xzsf" => (format!("义马市行政事业性收费目录清单（2023年第{}版）", n + 1), "公告"),
        "gwyzk" => {
            (["义马市2023年考试录用公务员拟录用人员公示", "义马市2023年公开遴选公务员公告"][n % 2].to_owned(), "公告")
        }
        "szjs" => (format!("义马市2023年市政道路改造工程进展（{}）", n + 1), "报告"),
        "bmgk" => ("义马市人民政府办公室概况".to_owned(), "其他"),
        "ggfw" => ("义马市2023年基本公共服务清单".to_owned(), "清单"),
        "shjz" => ("义马市2023年社会救助政策汇编".to_owned(), "汇编"),
        "gkzn" => ("义马市人民政府办公室政府信息公开指南".to_owned(), "指南"),
        "gknb" => ("义马市人民政府办公室2022年政府信息公开工作年度报告".to_owned(), "报告"),
        _ => (format!("{topic}工作信息"), "其他"),
    };
    let body = vec![
        format!("{}年{}月{}日，{}。", day.year(), m, day.day(), title),
        format!(
            "为深入贯彻落实市委、市政府关于{topic}工作的决策部署，进一步推进政府信息公开，提升政务服务水平，\
             市政府办公室结合工作实际，认真组织，周密安排，确保各项任务落到实处。"
        ),
        format!("下一步，市政府办公室将会同{place}等单位，持续加强{topic}工作，主动接受社会监督。"),
    ];
    (title, genre, body)
}

/// Working days (Monday to Friday) of 2023, picked deterministically and sorted.
fn publication_days(n: usize, rng: &mut Rng) -> Vec<Date> {
    let mut weekdays = Vec::new();
    let mut d = date!(2023 - 01 - 03);
    while d <= date!(2023 - 12 - 29) {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            weekdays.push(d);
        }
        d = d.next_day().unwrap_or(d);
    }
    let mut days: Vec<Date> = (0..n).map(|_| weekdays[(rng.next() % weekdays.len() as u64) as usize]).collect();
    days.sort();
    days
}

fn beijing(day: Date, minutes: u64) -> OffsetDateTime {
    let t = Time::from_hms(9, 0, 0).unwrap_or(Time::MIDNIGHT) + Duration::minutes((minutes % 480) as i64);
    PrimitiveDateTime::new(day, t).assume_offset(BEIJING).to_offset(time::UtcOffset::UTC)
}

struct Item {
    column: &'static str,
    fields: EntryFields,
    at: OffsetDateTime,
    /// File name of a DOCX attachment made from the item's text, when it has one.
    attachment: Option<String>,
}

/// The attachment a demo item carries, if any: budgets, fee lists and drafts for comment come with a document.
fn attachment_name(slug: &str, n: usize, title: &str) -> Option<String> {
    match slug {
        "czzj" | "xzsf" => Some(format!("{title}.docx")),
        "tzgg" if n % 4 == 3 => Some("征求意见稿.docx".to_owned()),
        _ => None,
    }
}

/// A small Word document with the title and the paragraphs (a real DOCX, as published attachments are).
fn docx(title: &str, paragraphs: &[String]) -> Result<Vec<u8>> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Run};
    let mut doc = Docx::new().add_paragraph(
        Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(title).bold().size(36)),
    );
    for p in paragraphs {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(p).size(28)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| AppError::Internal(format!("demo attachment: {e}")))?;
    Ok(out.into_inner())
}

impl App {
    /// Publishes one item as of `at` with a recorded review (demo import; staff cannot back-date).
    async fn import_published(
        &self,
        tx: &mut Tx,
        agency: &Agency,
        reviewer_id: i64,
        f: &EntryFields,
        at: OffsetDateTime,
    ) -> Result<i64> {
        use gongkai_domain::catalog::EntryStatus as S;
        let e = catalog::create(tx, agency.id, f, None).await?;
        catalog::set_status(tx, e.id, S::Draft, S::Submitted).await?;
        catalog::mark_reviewed(tx, e.id, reviewer_id, "经保密审查，同意公开").await?;
        let index_no = self.next_index_no(tx, agency, at.to_offset(BEIJING).date()).await?;
        catalog::mark_published(tx, e.id, Some(&index_no), at).await?;
        audit::record(
            tx,
            &NewAuditEvent {
                actor: &Actor::System("demo".into()),
                agency_id: Some(agency.id),
                action: AuditAction::CatalogImport,
                object_type: "catalog_entry",
                object_id: e.id.to_string(),
                details: json!({"title": f.title, "index_no": index_no}),
            },
        )
        .await?;
        Ok(e.id)
    }

    /// Stores a demo attachment (when the app has a file store; without one the demo has no files).
    async fn import_attachment(&self, tx: &mut Tx, entry_id: i64, name: &str, bytes: &[u8]) -> Result<()> {
        let Some(store) = &self.files else { return Ok(()) };
        let content_type =
            gongkai_domain::catalog::sniff_attachment(name, bytes).map_err(|e| AppError::Internal(e.0))?;
        let key = store.put(bytes).await?;
        catalog::add_attachment(tx, entry_id, name, content_type, bytes.len() as i64, &key).await?;
        Ok(())
    }

    /// Loads the demo catalog (after [`App::load_demo`]); idempotent: an agency that already has published
    /// items is left alone. Returns how many items were published.
    pub async fn load_demo_content(&self) -> Result<usize> {
        let admin = gongkai_store::users::by_username(&self.db, crate::demo::DEMO_ADMIN)
            .await?
            .ok_or(AppError::NotFound("演示管理员"))?;
        for (code, ..) in crate::demo::DEMO_AGENCIES {
            let a = self.agency_by_code(code).await?;
            self.ensure_columns(&a).await?;
        }
        let mut published = 0;
        let office = self.agency_by_code("yima-office").await?;
        let mut tx = self.db.begin().await?;
        if catalog::count_published(&self.db, office.id).await? == 0 {
            let mut rng = Rng(20_230_101);
            let mut items = Vec::with_capacity(OFFICE_ITEMS_2023);
            for (slug, count) in OFFICE_PLAN {
                let column = self.column(&office, slug).await?;
                for (n, day) in publication_days(*count, &mut rng).into_iter().enumerate() {
                    let (title, genre, body) = office_item(slug, n, day, &mut rng);
                    let body_html = body.iter().map(|p| format!("<p>{p}</p>")).collect::<String>();
                    let fields = EntryFields {
                        column_id: column.id,
                        title,
                        doc_no: String::new(),
                        publisher: office.name.clone(),
                        joint_publishers: String::new(),
                        doc_class: DocClass::Ordinary,
                        validity: None,
                        written_on: Some(day),
                        effective_on: None,
                        expires_on: None,
                        formed_on: Some(day),
                        topic: "综合政务\\政务公开".into(),
                        genre: genre.into(),
                        keywords: String::new(),
                        summary: body[0].clone(),
                        disclosure: "主动公开".into(),
                        body_html: sanitize_html(&body_html),
                    };
                    let at = beijing(day, rng.next());
                    let attachment = attachment_name(slug, n, &fields.title);
                    items.push(Item { column: slug, fields, at, attachment });
                }
            }
            // 索引号 follow publication order.
            items.sort_by_key(|i| (i.at, i.column));
            for i in &items {
                let id = self.import_published(&mut tx, &office, admin.id, &i.fields, i.at).await?;
                if let Some(name) = &i.attachment {
                    let text: Vec<String> = html_to_text(&i.fields.body_html)
                        .split('。')
                        .filter(|p| !p.trim().is_empty())
                        .map(|p| format!("{}。", p.trim()))
                        .collect();
                    self.import_attachment(&mut tx, id, name, &docx(&i.fields.title, &text)?).await?;
                }
                published += 1;
            }
        }
        published += self.load_demo_normative(&mut tx, admin.id).await?;
        if published > 0 {
            gongkai_store::search_feed::record_all(&mut tx).await?;
        }
        tx.commit().await?;
        self.load_demo_guides().await?;
        Ok(published)
    }

    /// A 公开指南 for every demo agency that has none, and the directory of 公共企事业单位 when it is empty.
    /// Contact details are marked as demo values: we do not invent real-looking numbers for real bodies.
    async fn load_demo_guides(&self) -> Result<()> {
        let actor = Actor::System("demo".into());
        for (code, name, ..) in crate::demo::DEMO_AGENCIES {
            let a = self.agency_by_code(code).await?;
            if self.guide(&a).await?.is_some() {
                continue;
            }
            self.write_guide(&actor, None, &a, demo_guide(name)).await?;
        }
        if gongkai_store::guide::all_units(&self.db, None).await?.is_empty() {
            for (code, name, category, summary, extra) in DEMO_UNITS {
                let a = self.agency_by_code(code).await?;
                let form = crate::guide::UnitForm {
                    name: (*name).into(),
                    category: (*category).into(),
                    address: "义马市（演示地址）".into(),
                    phone: "（演示数据，未填写）".into(),
                    website: String::new(),
                    summary: format!("{summary}（演示数据）"),
                    extra_duties: (*extra).into(),
                };
                self.insert_unit(&actor, &a, &form).await?;
            }
        }
        Ok(())
    }

    /// A few 行政规范性文件 of other demo agencies; the 2021 one of the 教育局 was repealed by its 2023 successor.
    async fn load_demo_normative(&self, tx: &mut Tx, reviewer_id: i64) -> Result<usize> {
        // (agency, title, 文号, 成文日期, 实施日期, 失效日期, body)
        let docs: &[(&str, &str, &str, Date, Date, Date, &str)] = &[
            (
                "yima-edu",
                "义马市教育局关于印发《义马市校外培训机构管理办法》的通知",
                "义教〔2021〕12号",
                date!(2021 - 09 - 10),
                date!(2021 - 10 - 01),
                date!(2026 - 09 - 30),
                "为规范校外培训机构办学行为，根据有关法律法规，结合本市实际，制定本办法。",
            ),
            (
                "yima-edu",
                "义马市教育局关于印发《义马市校外培训机构监督管理办法》的通知",
                "义教〔2023〕8号",
                date!(2023 - 04 - 12),
                date!(2023 - 05 - 01),
                date!(2028 - 04 - 30),
                "为进一步加强校外培训机构监督管理，减轻学生过重校外培训负担，制定本办法。《义马市校外培训机构管理办法》（义教〔2021〕12号）同时废止。",
            ),
            (
                "yima-health",
                "义马市卫生健康委员会关于印发《义马市基层医疗卫生机构绩效考核办法》的通知",
                "义卫〔2022〕15号",
                date!(2022 - 06 - 20),
                date!(2022 - 07 - 01),
                date!(2027 - 06 - 30),
                "为提升基层医疗卫生服务能力，建立科学规范的绩效考核制度，制定本办法。",
            ),
            (
                "yima-nr",
                "义马市自然资源局关于规范农村宅基地用地审批管理的通知",
                "义自然资〔2023〕3号",
                date!(2023 - 03 - 08),
                date!(2023 - 04 - 01),
                date!(2028 - 03 - 31),
                "为规范农村宅基地用地审批，保护农民合法权益，节约集约利用土地，现就有关事项通知如下。",
            ),
        ];
        let edu = self.agency_by_code("yima-edu").await?;
        if catalog::count_published(&self.db, edu.id).await? > 0 {
            return Ok(0);
        }
        let mut ids = Vec::new();
        for (code, title, doc_no, written, effective, expires, body) in docs {
            let a = self.agency_by_code(code).await?;
            let column = self.column(&a, FixedColumn::Policies.as_str()).await?;
            let fields = EntryFields {
                column_id: column.id,
                title: (*title).into(),
                doc_no: (*doc_no).into(),
                publisher: a.name.clone(),
                joint_publishers: String::new(),
                doc_class: DocClass::Normative,
                validity: Some(Validity::InForce),
                written_on: Some(*written),
                effective_on: Some(*effective),
                expires_on: Some(*expires),
                formed_on: Some(*written),
                topic: "综合政务\\其他".into(),
                genre: "通知".into(),
                keywords: String::new(),
                summary: (*body).into(),
                disclosure: "主动公开".into(),
                body_html: format!("<p>{body}</p>"),
            };
            let at = beijing(*written + Duration::days(3), 90);
            let id = self.import_published(tx, &a, reviewer_id, &fields, at).await?;
            let measures = title.split_once('《').and_then(|(_, t)| t.split_once('》')).map_or(*title, |(t, _)| t);
            self.import_attachment(tx, id, &format!("{measures}.docx"), &docx(measures, &[(*body).to_owned()])?)
                .await?;
            ids.push(id);
        }
        // The 2023 measures repealed the 2021 ones: marked on the original, with a link to the repealing act.
        catalog::set_validity(tx, ids[0], Validity::Repealed, Some(ids[1])).await?;
        audit::record(
            tx,
            &NewAuditEvent {
                actor: &Actor::System("demo".into()),
                agency_id: Some(edu.id),
                action: AuditAction::CatalogRepeal,
                object_type: "catalog_entry",
                object_id: ids[0].to_string(),
                details: json!({"repealed_by": ids[1]}),
            },
        )
        .await?;
        Ok(ids.len())
    }
}

/// (supervising agency, unit, category, summary, duties beyond the category's defaults)
const DEMO_UNITS: &[(&str, &str, &str, &str, &str)] = &[
    ("yima", "义马市城市供水公司", "water", "负责市区集中供水和供水设施运行维护。", "二次供水设施清洗消毒情况"),
    ("yima", "义马市城市燃气公司", "gas", "负责市区管道燃气供应、报装和安全检查。", ""),
    ("yima", "义马市供电服务中心", "power", "负责辖区供电营业、抢修和用电报装服务。", ""),
    ("yima", "义马市城市公共交通公司", "transport", "负责市区公交线路运营。", "新能源公交车辆更新情况"),
    ("yima-edu", "义马市第一实验小学", "school", "公办全日制小学。", "课后服务安排及收费"),
    ("yima-edu", "义马市实验初级中学", "school", "公办全日制初级中学。", ""),
    ("yima-health", "义马市中心医院", "hospital", "二级综合医院，承担全市急诊急救和基本医疗服务。", "预约挂号方式"),
    ("yima-health", "义马市妇幼保健院", "hospital", "承担妇女儿童保健和基本医疗服务。", ""),
    ("yima", "义马市城市污水处理厂", "environment", "负责市区生活污水集中处理。", "进出水水质月报"),
];

/// The 公开指南 of a demo agency: the structure of a real guide, contact details marked as demo values.
fn demo_guide(name: &str) -> gongkai_domain::guide::Guide {
    gongkai_domain::guide::Guide {
        office: format!("{name}政府信息公开工作机构"),
        address: "义马市（演示地址，请以实际公布为准）".into(),
        postcode: String::new(),
        hours: "工作日上午8:30—12:00，下午15:00—18:00（法定节假日除外）".into(),
        phone: "（演示数据，未填写）".into(),
        fax: String::new(),
        email: String::new(),
        categories: format!(
            "{name}主动公开《中华人民共和国政府信息公开条例》第二十条、第二十一条规定的政府信息，\
             按机构职能、法规文件、规划信息、统计信息、行政许可和服务事项、财政预决算等类别编排，\
             每条信息标明索引号、名称、内容概述和生成日期。"
        ),
        channels: "主动公开的政府信息通过本平台“信息公开”栏目发布，可在线检索、查阅和下载；\
             同时通过政府公报、新闻发布会以及政务服务中心查阅点等途径公开。\
             属于主动公开范围的信息，自形成或者变更之日起20个工作日内予以公开。"
            .into(),
        apply: "公民、法人或者其他组织可以通过本平台在线提交政府信息公开申请，也可以通过信函或者当面提交书面申请。\
             申请内容应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；\
             申请公开的政府信息的形式要求，包括获取信息的方式、途径。"
            .into(),
        process: "收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；\
             需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过20个工作日。\
             申请内容不明确的，在7个工作日内一次性告知申请人补正。"
            .into(),
        fees: "提供政府信息不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，\
             按照《政府信息公开信息处理费管理办法》收取信息处理费。"
            .into(),
        remedies: "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，\
             可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_adds_up_to_the_reported_figure() {
        assert_eq!(OFFICE_PLAN.iter().map(|(_, n)| n).sum::<usize>(), OFFICE_ITEMS_2023);
        for (slug, _) in OFFICE_PLAN {
            assert!(gongkai_domain::catalog::DEFAULT_COLUMNS.iter().any(|c| c.slug == *slug), "{slug}");
        }
    }

    #[test]
    fn generation_is_deterministic_and_in_2023() {
        let days = publication_days(50, &mut Rng(7));
        assert_eq!(days, publication_days(50, &mut Rng(7)));
        assert!(days.iter().all(|d| d.year() == 2023 && !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)));
        let (t1, ..) = office_item("zfkb", 4, days[0], &mut Rng(1));
        assert_eq!(t1, "义马政务快报（2023年第5期）");
        // 17:59 Beijing at the latest, still the same day.
        assert_eq!(beijing(days[0], u64::MAX).to_offset(BEIJING).date(), days[0]);
    }
}
