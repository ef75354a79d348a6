use gongkai_app::{App, AppConfig, Caller, UserForm};
use gongkai_domain::agency::Role;
use gongkai_store::testing::TestDb;
use gongkai_web::WebConfig;
use reqwest::redirect::Policy;
use std::net::SocketAddr;
use std::sync::Arc;

pub const PASSWORD: &str = "correct-horse-battery";

/// The application running on a free local port, with a browser-like client (cookie jar, no redirects followed).
pub struct TestApp {
    pub addr: SocketAddr,
    pub app: App,
    /// The database the app runs on, for tests that read the store directly (the app keeps its own private).
    pub db: gongkai_store::Db,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _db: Arc<TestDb>,
}

impl TestApp {
    pub async fn spawn(db: TestDb) -> TestApp {
        Self::spawn_with(db, WebConfig::default()).await
    }

    pub async fn spawn_with(db: TestDb, cfg: WebConfig) -> TestApp {
        Self::spawn_configured(db, cfg, AppConfig::default()).await
    }

    /// Every backend in turn, with the given application settings.
    pub async fn each_configured(config: AppConfig, test: impl AsyncFn(TestApp)) {
        for db in TestDb::all().await {
            eprintln!("-- backend: {:?}", db.db.backend());
            test(TestApp::spawn_configured(db, WebConfig::default(), config.clone()).await).await;
        }
    }

    pub async fn spawn_configured(db: TestDb, cfg: WebConfig, config: AppConfig) -> TestApp {
        let files =
            std::env::temp_dir().join(format!("gk_files_{}_{}", std::process::id(), gongkai_app::random_token(8)));
        Self::spawn_full(db, cfg, config, gongkai_app::files::FileStore::new(files)).await
    }

    /// A node with the given file store (e.g. an S3 bucket several nodes share).
    pub async fn spawn_with_files(db: TestDb, files: gongkai_app::files::FileStore) -> TestApp {
        Self::spawn_full(db, WebConfig::default(), AppConfig::default(), files).await
    }

    async fn spawn_full(
        db: TestDb,
        cfg: WebConfig,
        config: AppConfig,
        files: gongkai_app::files::FileStore,
    ) -> TestApp {
        let search = gongkai_search::SearchIndex::in_memory().expect("search index");
        let app = App::new(db.db.clone(), config).with_search(search).with_files(files);
        // As the binary does when it opens the database: the shipped working-day calendar.
        app.seed_calendar_if_empty().await.expect("calendar seed");
        app.load_demo().await.expect("demo data");
        let pool = db.db.clone();
        Self::serve(app, pool, cfg, Arc::new(db)).await
    }

    /// Stops this server and starts a new application (new connection pool, no shared memory) on the same
    /// database, as a restart or another node behind a load balancer would.
    pub async fn restart(mut self) -> TestApp {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let db = self._db.clone();
        let pool = gongkai_store::Db::open(&db.url).await.expect("reopen the database");
        let config = (*self.app.config).clone();
        Self::serve(App::new(pool.clone(), config), pool, WebConfig::default(), db).await
    }

    /// Another node behind the same load balancer: its own connection pool to the same database, its own
    /// (empty, in-memory) search index and the given file store, on its own port, while this one keeps running.
    pub async fn second_node(&self, files: gongkai_app::files::FileStore) -> TestApp {
        let db = self._db.clone();
        let pool = gongkai_store::Db::open(&db.url).await.expect("open the database again");
        let search = gongkai_search::SearchIndex::in_memory().expect("search index");
        let app = App::new(pool.clone(), (*self.app.config).clone()).with_search(search).with_files(files);
        Self::serve(app, pool, WebConfig::default(), db).await
    }

    async fn serve(app: App, pool: gongkai_store::Db, cfg: WebConfig, db: Arc<TestDb>) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        tokio::spawn(async move {
            gongkai_web::serve(listener, served, Arc::new(cfg), async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp { addr, app, db: pool, client: browser(), shutdown: Some(tx), _db: db }
    }

    /// Every backend in turn, each with a fresh database.
    pub async fn each(test: impl AsyncFn(TestApp)) {
        for db in TestDb::all().await {
            eprintln!("-- backend: {:?}", db.db.backend());
            test(TestApp::spawn(db).await).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A second, independent browser against the same server.
    pub fn other_browser(&self) -> reqwest::Client {
        browser()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The CSRF token of the form on `path` (which starts the session if needed).
    pub async fn csrf_from(&self, path: &str) -> String {
        let (status, html) = self.get_text(path).await;
        assert_eq!(status, 200, "GET {path}: {html}");
        csrf_in(&html).unwrap_or_else(|| panic!("no csrf field on {path}"))
    }

    /// Posts a form the way a browser does after loading `form_page`: with its CSRF token.
    pub async fn post_form(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_from(form_page).await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("csrf", &token));
        self.client.post(self.url(action)).form(&body).send().await.unwrap()
    }

    pub async fn login_as(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form("/console/login", "/console/login", &[("username", username), ("password", password)]).await
    }

    /// Creates a staff user holding `role` in the agency `agency_code`, and returns the username.
    pub async fn staff(&self, username: &str, agency_code: &str, role: Role) -> String {
        let form =
            UserForm {
                username: username.into(), display_name: format!("{username}同志"), password: PASSWORD.into()
            };
        if gongkai_store::users::by_username(&self.db, username).await.unwrap().is_none() {
            self.app.create_user(Caller::System("cli"), &form, false).await.unwrap();
        }
        let agency = self.app.agency_by_code(agency_code).await.unwrap();
        self.app.grant_role(Caller::System("cli"), &agency, username, role).await.unwrap();
        username.to_owned()
    }

    /// Runs every due job as the server's worker would, then brings the search index up to date with the change
    /// feed as the server's follower would; returns the jobs run plus the feed changes applied.
    pub async fn run_jobs(&self) -> usize {
        let jobs = gongkai_app::jobs::JobRunner::new(self.app.clone()).run_due().await.unwrap();
        jobs + self.app.sync_search().await.unwrap()
    }

    /// Signs the current browser out.
    pub async fn logout(&self) {
        let r = self.post_form("/console/", "/console/logout", &[]).await;
        assert_eq!(r.status(), 303);
    }

    /// A platform administrator (the demo's `admin` gets a fresh password here).
    pub async fn admin(&self) -> String {
        self.app.reset_password("admin", PASSWORD).await.unwrap();
        "admin".into()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
}

pub fn csrf_in(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let j = html[i..].find('"')? + i;
    Some(html[i..j].to_owned())
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}
