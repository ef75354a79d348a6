//! The 政府信息公开指南 (条例 Art. 12: categories, how to obtain information, the office's name, address, hours,
//! phone, fax, online contact) and the directory of 公共企事业单位 (条例 Art. 55: bodies providing public services
//! such as water, gas, power, schools, hospitals, environmental protection and public transport, with what they
//! must disclose).

use crate::agency::Invalid;
use serde::{Deserialize, Serialize};

/// One agency's 公开指南, as its administrator keeps it. Every field is plain text (paragraphs split on blank
/// lines when shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Guide {
    /// 受理机构 (the office that handles disclosure).
    pub office: String,
    /// 办公地址
    pub address: String,
    /// 邮政编码
    pub postcode: String,
    /// 办公时间
    pub hours: String,
    /// 联系电话
    pub phone: String,
    /// 传真
    pub fax: String,
    /// 电子邮箱
    pub email: String,
    /// 主动公开：内容、分类与编排
    pub categories: String,
    /// 主动公开：公开方式与途径（获取方式）
    pub channels: String,
    /// 依申请公开：如何提出申请（在线、信函、当面）
    pub apply: String,
    /// 依申请公开：办理程序与期限
    pub process: String,
    /// 收费
    pub fees: String,
    /// 监督和救济
    pub remedies: String,
}

/// (field, label, required, max characters) of every guide field, in display order.
pub const GUIDE_FIELDS: &[(&str, &str, bool, usize)] = &[
    ("office", "受理机构", true, 100),
    ("address", "办公地址", true, 200),
    ("postcode", "邮政编码", false, 6),
    ("hours", "办公时间", true, 200),
    ("phone", "联系电话", true, 60),
    ("fax", "传真", false, 60),
    ("email", "电子邮箱", false, 100),
    ("categories", "主动公开的内容与分类", true, 4000),
    ("channels", "主动公开的方式与途径", true, 4000),
    ("apply", "依申请公开的申请方式", true, 4000),
    ("process", "办理程序与期限", true, 4000),
    ("fees", "收费", true, 2000),
    ("remedies", "监督和救济", true, 2000),
];

impl Guide {
    /// The value of a field named in [`GUIDE_FIELDS`].
    pub fn get(&self, field: &str) -> &str {
        match field {
            "office" => &self.office,
            "address" => &self.address,
            "postcode" => &self.postcode,
            "hours" => &self.hours,
            "phone" => &self.phone,
            "fax" => &self.fax,
            "email" => &self.email,
            "categories" => &self.categories,
            "channels" => &self.channels,
            "apply" => &self.apply,
            "process" => &self.process,
            "fees" => &self.fees,
            "remedies" => &self.remedies,
            _ => "",
        }
    }

    /// Trims every field and checks required fields, lengths and the 邮政编码 (six digits); the first problem
    /// is returned with its field.
    pub fn checked(mut self) -> Result<Self, (&'static str, Invalid)> {
        for f in [
            &mut self.office,
            &mut self.address,
            &mut self.postcode,
            &mut self.hours,
            &mut self.phone,
            &mut self.fax,
            &mut self.email,
            &mut self.categories,
            &mut self.channels,
            &mut self.apply,
            &mut self.process,
            &mut self.fees,
            &mut self.remedies,
        ] {
            *f = f.trim().replace("\r\n", "\n");
        }
        for (field, label, required, max) in GUIDE_FIELDS {
            let v = self.get(field);
            if *required && v.is_empty() {
                return Err((field, Invalid(format!("请填写{label}"))));
            }
            if v.chars().count() > *max {
                return Err((field, Invalid(format!("{label}不能超过{max}个字"))));
            }
        }
        let postcode_ok = self.postcode.len() == 6 && self.postcode.bytes().all(|b| b.is_ascii_digit());
        if !self.postcode.is_empty() && !postcode_ok {
            return Err(("postcode", Invalid("邮政编码应为6位数字".into())));
        }
        if !self.email.is_empty() && !self.email.contains('@') {
            return Err(("email", Invalid("电子邮箱格式不正确".into())));
        }
        Ok(self)
    }
}

/// Kinds of 公共企事业单位 in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitCategory {
    Water,
    Gas,
    Power,
    Heating,
    School,
    Hospital,
    Environment,
    Transport,
    Other,
}

impl UnitCategory {
    pub const ALL: &[UnitCategory] = &[
        UnitCategory::Water,
        UnitCategory::Gas,
        UnitCategory::Power,
        UnitCategory::Heating,
        UnitCategory::School,
        UnitCategory::Hospital,
        UnitCategory::Environment,
        UnitCategory::Transport,
        UnitCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitCategory::Water => "water",
            UnitCategory::Gas => "gas",
            UnitCategory::Power => "power",
            UnitCategory::Heating => "heating",
            UnitCategory::School => "school",
            UnitCategory::Hospital => "hospital",
            UnitCategory::Environment => "environment",
            UnitCategory::Transport => "transport",
            UnitCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s).ok_or_else(|| Invalid("请选择单位类别".into()))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            UnitCategory::Water => "供水",
            UnitCategory::Gas => "供气",
            UnitCategory::Power => "供电",
            UnitCategory::Heating => "供热",
            UnitCategory::School => "学校",
            UnitCategory::Hospital => "医院",
            UnitCategory::Environment => "环境保护",
            UnitCategory::Transport => "公共交通",
            UnitCategory::Other => "其他公共服务",
        }
    }

    /// What a body of this kind must disclose by default (the 公共企事业单位信息公开 rules of its sector, in
    /// short); the unit's own list may add to it.
    pub fn must_disclose(self) -> &'static [&'static str] {
        match self {
            UnitCategory::Water => {
                &["水质检测信息", "水价及收费标准", "计划停水通知", "营业网点与办事流程", "服务承诺与投诉电话"]
            }
            UnitCategory::Gas => {
                &["燃气价格及收费标准", "安全用气常识", "计划停气通知", "报装办理流程与时限", "抢修与投诉电话"]
            }
            UnitCategory::Power => {
                &["电价及收费标准", "计划停电信息", "用电报装流程与时限", "供电服务承诺", "抢修与投诉电话"]
            }
            UnitCategory::Heating => &["供热价格及收费标准", "供热期与室温标准", "报修流程", "投诉电话"],
            UnitCategory::School => {
                &["招生范围、条件和程序", "收费项目及标准", "学生资助政策", "办学条件与师资", "校园安全与投诉渠道"]
            }
            UnitCategory::Hospital => {
                &["医疗服务项目与价格", "药品和医用耗材价格", "就诊流程与门诊排班", "医疗质量与安全信息", "投诉渠道"]
            }
            UnitCategory::Environment => {
                &["污染物排放信息", "环境监测数据", "环保设施运行情况", "突发环境事件应急预案"]
            }
            UnitCategory::Transport => {
                &["线路、站点与运营时间", "票价及优惠政策", "线路调整与临时停运通知", "服务质量承诺与投诉电话"]
            }
            UnitCategory::Other => &["服务内容与收费标准", "办事流程", "投诉渠道"],
        }
    }
}

/// A 公共企事业单位 as the supervising agency records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitDetails {
    pub address: String,
    pub phone: String,
    /// The unit's own disclosure page (http/https).
    pub website: String,
    /// 单位简介
    pub summary: String,
    /// Further items it must disclose beyond its category's defaults, one a line.
    pub extra_duties: String,
}

impl UnitDetails {
    pub fn checked(mut self) -> Result<Self, (&'static str, Invalid)> {
        for f in [&mut self.address, &mut self.phone, &mut self.website, &mut self.summary, &mut self.extra_duties] {
            *f = f.trim().replace("\r\n", "\n");
        }
        for (field, label, v, max) in [
            ("address", "地址", &self.address, 200),
            ("phone", "联系电话", &self.phone, 60),
            ("website", "信息公开网址", &self.website, 300),
            ("summary", "单位简介", &self.summary, 2000),
            ("extra_duties", "其他应公开事项", &self.extra_duties, 2000),
        ] {
            if v.chars().count() > max {
                return Err((field, Invalid(format!("{label}不能超过{max}个字"))));
            }
        }
        let web_ok = self.website.starts_with("https://") || self.website.starts_with("http://");
        if !self.website.is_empty() && !web_ok {
            return Err(("website", Invalid("信息公开网址应以 http:// 或 https:// 开头".into())));
        }
        Ok(self)
    }

    /// The items a unit of `category` must disclose: the category's defaults, then its own additions.
    pub fn duties(&self, category: UnitCategory) -> Vec<String> {
        let mut out: Vec<String> = category.must_disclose().iter().map(|s| (*s).to_owned()).collect();
        for l in self.extra_duties.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !out.iter().any(|d| d == l) {
                out.push(l.to_owned());
            }
        }
        out
    }
}

/// A unit's name: required, at most 100 characters.
pub fn unit_name(s: &str) -> Result<String, Invalid> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Invalid("请填写单位名称".into()));
    }
    if s.chars().count() > 100 {
        return Err(Invalid("单位名称不能超过100个字".into()));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Guide {
        Guide {
            office: "办公室".into(),
            address: "某路1号".into(),
            hours: "工作日".into(),
            phone: "0398-1".into(),
            categories: "a".into(),
            channels: "b".into(),
            apply: "c".into(),
            process: "d".into(),
            fees: "e".into(),
            remedies: "f".into(),
            ..Default::default()
        }
    }

    #[test]
    fn guide_requires_the_art_12_items() {
        assert!(full().checked().is_ok());
        let (field, msg) = Guide { phone: "  ".into(), ..full() }.checked().unwrap_err();
        assert_eq!((field, msg.0.as_str()), ("phone", "请填写联系电话"));
        let (field, _) = Guide { postcode: "47200".into(), ..full() }.checked().unwrap_err();
        assert_eq!(field, "postcode");
        assert_eq!(Guide { postcode: " 472300 ".into(), ..full() }.checked().unwrap().postcode, "472300");
    }

    #[test]
    fn unit_duties_add_to_the_category_defaults() {
        let d =
            UnitDetails { extra_duties: "水质检测信息\n二次供水设施清洗\n".into(), ..Default::default() };
        let duties = d.duties(UnitCategory::Water);
        assert_eq!(duties.len(), 6);
        assert_eq!(duties.last().map(String::as_str), Some("二次供水设施清洗"));
        assert!(UnitDetails { website: "javascript:alert(1)".into(), ..Default::default() }.checked().is_err());
        assert_eq!(UnitCategory::parse("hospital").unwrap().label_zh(), "医院");
        assert!(UnitCategory::parse("x").is_err());
    }
}
