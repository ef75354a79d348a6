//! Demo evaluation (`serve --demo`): the city's 2026 scheme (third party, the default sheet) over its departments
//! and streets, with a few manual scores and their evidence.

use crate::{App, Caller, Result};

/// (agency, indicator, points, evidence)
const DEMO_SCORES: &[(&str, &str, &str, &str)] = &[
    ("yima-office", "A02", "9", "规范性文件栏目更新及时，备案审查材料齐全（第三方抽查记录第3页）"),
    ("yima-office", "A08", "8.5", "重要政策均配发解读，1件解读晚于政策发布3日"),
    ("yima-office", "A11", "4", "《2026年政务公开工作要点分工方案》任务均已落实"),
    ("yima-edu", "A02", "7", "2件规范性文件未标注有效性"),
    ("yima-edu", "A08", "9", "招生政策图文解读、视频解读各1篇"),
    ("yima-nr", "A02", "8", "抽查5件，1件缺少文号"),
];

impl App {
    /// Loads the demo scheme and scores; idempotent (nothing when the city already has a 2026 scheme).
    pub async fn load_demo_evaluation(&self) -> Result<()> {
        let city = self.agency_by_code("yima").await?;
        let by = Caller::System("demo");
        if self.evaluation_scheme(by, &city, 2026).await?.is_some() {
            return Ok(());
        }
        self.create_evaluation_scheme(by, &city, 2026, "third_party").await?;
        for (unit, indicator, points, evidence) in DEMO_SCORES {
            self.score_evaluation(by, &city, 2026, unit, indicator, points, evidence).await?;
        }
        Ok(())
    }
}
