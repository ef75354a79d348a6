//! Demo data of the annual report: the yearly figures and the narrative of 义马市人民政府办公室 for 2023, so that
//! the report generated from the demo reproduces the published reference report
//! (`crates/gongkai-report/tests/fixtures/yima-2023-annual-report.txt`): its tables come from the demo case and
//! library, its narrative's figures (227 items, 3100 hotline orders, 76 mailbox letters, 130+ calls) from entered
//! figures. See docs/law/annual-report.md.

use crate::{App, Result};
use gongkai_domain::audit::AuditAction;
use gongkai_store::Actor;
use gongkai_store::reports as store;

/// Section 一 of the reference report with its figures as placeholders (filled from the entered figures and table 三).
const YIMA_ONE: &str = "2023年，义马市人民政府办公室认真贯彻落实《中华人民共和国政府信息公开条例》（国务院令第711号）和省、三门峡市、义马市委市政府关于推进政务公开的各项决策部署，坚持依法行政，持续推动信息公开工作落实落细，大力推进服务政府、责任政府、法治政府、廉洁政府建设，切实保障人民群众的知情权、参与权、监督权和表达权。现依据相关法律法规，依法向全社会公布。数据统计时限为2023年1月1日至2023年12月31日。
（一）主动公开：2023年，义马市人民政府办公室门户网站，设部门概况、工作动态、业务职能、信息公开等专栏，全年发布政府快报、学习资料、工作动态等共计{主动公开条数}条；12345热线办理工单{热线工单}件，均按时办结；“市长信箱”{信箱来信}件，接访电话{来电}余通，办结率为100%；行政复议、行政诉讼为0条。
（二）依申请公开：严格落实行政机关依申请公开办理程序和答复规范，进一步建立健全工作流程，努力提升政府信息公开申请办理质量。2023年，收到并办理政府信息公开申请{收到申请}件，并按要求及时公开。
（三）政府信息管理方面。完善市政府规章和全市行政规范性文件库建设，在市政府门户网站开设专栏对现行有效规章、行政规范性文件进行集中统一公开和动态更新，供在线查阅、检索、下载等服务，方便公众快捷获取政府信息。
（四）平台建设方面。不断加强政府信息公开平台规范化、标准化建设，做好城市供水、供气、供电、学校、医院、环境保护、公共交通等行业信息公开工作，归集展示我市公共企事业单位信息。加强对分平台的管理，做好运行维护、安全保障等工作，确保安全稳定运行。
（五）政府信息公开监督保障及教育培训情况：制定义马市人民政府办公室2023年政务公开工作要点分工方案，加强对全市政务公开工作的指导监督。委托第三方开展政务公开工作年度评估，促进各街道、各部门不断提升政务公开工作水平。加强对全市政府网站和政务新媒体的监管考核，做好日常监测和月度、季度、年度安全检查及通报，规范政务新媒体开设报备、关停审核等工作，保障政府网站和政务新媒体健康运营。";

/// Section 五 of the reference report; its sub-paragraphs, run together by the copy from the web page, are
/// paragraphs again.
const YIMA_FIVE: &str = "2023年，我办政府信息公开工作虽然取得较好成效，但仍存在一些不足，主要表现在：对政务公开工作的指导监督还需加强、重大政策发布解读仍需提质增效、政务公开平台建设有待进一步提高等。下一步，我办将按照上级的决策部署，进一步全面推进政府信息公开工作。
（一）强化对政务公开工作的统筹推进和指导监督。充分发挥市政务公开领导小组的组织协调作用，加强对各街道、各部门政务公开工作的指导培训，提升队伍整体水平。督促各级各部门围绕《政府信息公开条例》及政务公开工作要点，落实好信息发布、政策解读和政务舆情回应主体责任，不断提升全市政务公开工作水平。
（二）加强重大政策精准解读。突出政策解读重点，针对公众关注的热点和焦点及时答疑释惑，让企业、群众充分知晓政策出台的意图，切实提升政策解读效果。加强对政策亮点和价值的挖掘利用，探索多渠道、全方位、立体式解读方式，推动各项重大政策落地见效。
（三）推动政务公开平台优化提升。加强市政府网站集约化平台及分平台运维管理。不断优化政府网站栏目设置和服务功能，打造规范、高效、惠民的政务公开平台。严格落实网络意识形态责任制，强化政府网站与政务新媒体日常监管，建立政务新媒体动态清单管理机制，做好全市政府网站与政务新媒体建设管理、安全保障等各项工作。";

/// Section 六: the fee statement is generated from the fee records.
const YIMA_SIX: &str = "收取信息处理费的情况：{收费说明}";

/// (key, value) entered for 义马市人民政府办公室, 2023: table 二(五)(六)(八) are 0 in the reference; the rest are
/// the figures its narrative quotes.
pub const YIMA_2023_FIGURES: [(&str, &str); 8] = [
    ("licensing", "0"),
    ("penalty", "0"),
    ("coercion", "0"),
    ("admin_fees", "0"),
    ("items_published", "227"),
    ("hotline_orders", "3100"),
    ("mailbox_letters", "76"),
    ("calls", "130"),
];

impl App {
    /// Loads the demo report data (idempotent: nothing is changed once the 2023 report of the office exists).
    pub(crate) async fn load_demo_reports(&self) -> Result<bool> {
        let agency = self.agency_by_code("yima-office").await?;
        if store::get(&self.db, agency.id, 2023).await?.is_some() {
            return Ok(false);
        }
        let actor = Actor::System("demo".into());
        let values: Vec<(String, String)> =
            YIMA_2023_FIGURES.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        self.store_figures(&actor, &agency, 2023, &values, AuditAction::ReportFigures).await?;
        self.store_sections(&actor, &agency, 2023, YIMA_ONE, YIMA_FIVE, YIMA_SIX).await?;
        Ok(true)
    }
}
