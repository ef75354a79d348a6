//! The `gongkai` command: composition root only (configuration, wiring, CLI). The application is a library.

mod audit;
mod backup_cmd;
mod calendar_cmd;
mod config;
mod evaluation_cmd;
mod heap;
mod hotline_cmd;
mod monitor_cmd;
mod progress;
mod report_cmd;
mod user_cmd;
mod workplan_cmd;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use gongkai_app::jobs::{JobRunner, PURGE_SESSIONS};
use gongkai_app::{App, Caller, UserForm};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// gongkai（公开）：政府信息公开平台。
#[derive(Parser, Debug)]
#[command(name = "gongkai", version, about)]
struct Cli {
    /// Data directory (SQLite database, configuration, files).
    #[arg(long, global = true, env = "GONGKAI_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Database URL; default: SQLite file `gongkai.db` in the data directory. `postgres://…` selects PostgreSQL.
    #[arg(long, global = true, env = "GONGKAI_DATABASE")]
    database: Option<String>,
    /// Configuration file; default: `gongkai.toml` in the data directory, if present.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (portal, console, API).
    Serve {
        /// Address to listen on.
        #[arg(long)]
        addr: Option<String>,
        /// Load the demo data first (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo data (义马市人民政府 and its agencies, an administrator); idempotent.
    Demo,
    /// Create a platform administrator, or set a new password for an existing one.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "平台管理员")]
        display_name: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Staff accounts: `user add --username U --name 姓名 --agency CODE --role ROLE [--password-stdin]`, `user list
    /// [--agency CODE] [--json]`.
    User {
        #[command(subcommand)]
        command: user_cmd::UserCommand,
    },
    /// Audit published annual reports (HTML, copied text, PDF, DOCX, or JSON submissions): exit status 0 when
    /// every report was read and no error found, 1 when a rule is broken, 2 when (without errors) a file or a
    /// whole table could not be read.
    Audit {
        /// Report files, or folders of them (walked recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one `gongkai.annual-report/v1` JSON document per file (an array for several), with its verdict.
        #[arg(long)]
        json: bool,
        /// Also write a summary, one row per report: FILE.xlsx or FILE.html.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
    },
    /// Working-day calendar (工作日历): import holiday notices, show a year, compute a due date.
    Calendar {
        #[command(subcommand)]
        command: calendar_cmd::CalendarCommand,
    },
    /// Annual reports (年度报告): generate one from the live data, import yearly figures.
    Report {
        #[command(subcommand)]
        command: report_cmd::ReportCommand,
    },
    /// 12345 work orders (12345工单): import the platform's export, list orders with their deadlines.
    Hotline {
        #[command(subcommand)]
        command: hotline_cmd::HotlineCommand,
    },
    /// 政务公开工作要点 and 分工方案: import a year's task table (CSV), list its tasks.
    Workplan {
        #[command(subcommand)]
        command: workplan_cmd::WorkplanCommand,
    },
    /// Back up the database and the attachments into one archive while the platform may keep running
    /// (SQLite: `VACUUM INTO`; PostgreSQL: every table in one snapshot), with a manifest of checksums.
    Backup {
        /// The archive to write (a new file).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore an archive of `gongkai backup` into an empty data directory / empty database of the same backend;
    /// checks every checksum first, migrates an older backup, and rebuilds the search index.
    Restore {
        /// The archive written by `gongkai backup`.
        file: PathBuf,
    },
    /// Website self-monitoring (网站自查): `monitor check --agency CODE [--date YYYY-MM-DD] [--json]`; exit status
    /// 0 for 合格, 1 for 不合格, 2 when the check could not run.
    Monitor {
        #[command(subcommand)]
        command: monitor_cmd::MonitorCommand,
    },
    /// Evaluation (考核): `evaluation score --agency CODE --year YYYY [--json]`, the year's results of the agencies
    /// beneath a supervising agency.
    Evaluation {
        #[command(subcommand)]
        command: evaluation_cmd::EvaluationCommand,
    },
    /// Rebuild the full-text search index (`<data-dir>/search`) from the database. Stop the server first:
    /// only one process can write the index.
    Reindex,
    /// Check that a running server answers `/healthz`; exit status 0 when healthy.
    Healthcheck {
        /// Server address; default: the configured listen address.
        #[arg(long)]
        addr: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The auditor needs no database or runtime.
    if let Command::Audit { paths, json, summary } = &cli.command {
        return audit::run(paths, *json, summary.as_deref());
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    // The log format is the one setting read before the rest (a malformed configuration is reported by `run`).
    let format = config::Settings::load(&cli.data_dir, cli.config.as_deref()).map(|s| s.log.format).unwrap_or_default();
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        // One JSON object per line: the event's fields, and the request span's (route, agency, user, status,
        // latency) flattened into `span`.
        config::LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
        config::LogFormat::Text => logs.init(),
    }
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The app's settings: the configuration plus the attachment store under the data directory.
async fn run(cli: Cli) -> Result<ExitCode> {
    let settings = config::Settings::load(&cli.data_dir, cli.config.as_deref())?;
    let db_url = match cli.database.clone().or(settings.database.url.clone()) {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&cli.data_dir)
                .with_context(|| format!("无法创建数据目录 {}", cli.data_dir.display()))?;
            format!("sqlite://{}?mode=rwc", cli.data_dir.join("gongkai.db").display())
        }
    };
    match cli.command {
        Command::Audit { paths, json, summary } => Ok(audit::run(&paths, json, summary.as_deref())),
        Command::Healthcheck { addr } => healthcheck(addr.as_deref().unwrap_or(&settings.server.addr)).await,
        Command::Migrate => {
            let db = open(&db_url).await?;
            println!("数据库已是最新版本（{:?}）。", db.backend());
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            // With the file store, so that demo items get their attachments.
            let app =
                App::new(open(&db_url).await?, settings.app_config()?).with_files(settings.file_store(&cli.data_dir)?);
            demo(&app).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::CreateAdmin { username, display_name, password_stdin } => {
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            create_admin(&app, &username, &display_name, password_stdin).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command } => {
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            user_cmd::run(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { command } => {
            calendar_cmd::check(&command)?;
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            calendar_cmd::run(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { command } => {
            report_cmd::check(&command)?;
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            report_cmd::run(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Hotline { command } => {
            hotline_cmd::check(&command)?;
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            hotline_cmd::run(&app, command).await
        }
        Command::Workplan { command } => {
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            workplan_cmd::run(&app, command).await
        }
        Command::Monitor { command } => {
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            Ok(monitor_cmd::run(&app, command).await)
        }
        Command::Backup { out } => {
            if !db_url.starts_with("postgres") && !cli.data_dir.join("gongkai.db").exists() && cli.database.is_none() {
                bail!("数据目录 {} 中没有数据库，无可备份", cli.data_dir.display());
            }
            let app =
                App::new(open(&db_url).await?, settings.app_config()?).with_files(settings.file_store(&cli.data_dir)?);
            backup_cmd::backup(&app, &out).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file } => {
            backup_cmd::restore(
                &cli.data_dir,
                &db_url,
                &file,
                settings.app_config()?,
                settings.file_store(&cli.data_dir)?,
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Evaluation { command } => {
            let app = App::new(open(&db_url).await?, settings.app_config()?);
            evaluation_cmd::run(&app, command).await
        }
        Command::Reindex => {
            let app = App::new(open(&db_url).await?, settings.app_config()?).with_search(search_index(&cli.data_dir)?);
            let bar = progress::Bar::new();
            let n = app.reindex_with(&bar).await?;
            bar.done();
            println!("检索索引已重建，共 {n} 条信息。");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, demo: load_demo } => {
            let app = App::new(open(&db_url).await?, settings.app_config()?)
                .with_search(search_index(&cli.data_dir)?)
                .with_files(settings.file_store(&cli.data_dir)?);
            if load_demo {
                demo(&app).await?;
            }
            let addr = addr.unwrap_or(settings.server.addr.clone());
            serve(app, &addr, settings.web_config()).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The search index lives in `<data-dir>/search`; one process at a time may write it.
fn search_index(data_dir: &std::path::Path) -> Result<gongkai_search::SearchIndex> {
    let dir = data_dir.join("search");
    gongkai_search::SearchIndex::open(&dir)
        .with_context(|| format!("无法打开检索索引 {}（是否有另一个 gongkai 进程正在运行？）", dir.display()))
}

/// Opens (and migrates) the database; also stores the shipped working-day calendar if it is not there yet, so
/// that every command finds it.
async fn open(url: &str) -> Result<gongkai_store::Db> {
    let db = gongkai_store::Db::open(url).await.with_context(|| format!("无法打开数据库 {}", redact(url)))?;
    App::new(db.clone(), gongkai_app::AppConfig::default())
        .seed_calendar_if_empty()
        .await
        .context("无法写入随程序提供的节假日安排")?;
    Ok(db)
}

/// Hides a password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn demo(app: &App) -> Result<()> {
    let out = app.load_demo().await.context("载入演示数据失败")?;
    let items = app.load_demo_content().await.context("载入演示信息失败")?;
    app.load_demo_interaction().await.context("载入演示来信失败")?;
    app.load_demo_supervision().await.context("载入演示监督保障数据失败")?;
    app.load_demo_evaluation().await.context("载入演示考核数据失败")?;
    app.load_demo_monitor().await.context("载入演示网站检查通报失败")?;
    println!(
        "演示数据已载入（新建机构 {} 个，演示申请 {} 件，发布信息 {items} 条）。",
        out.agencies_created, out.applications_created
    );
    match out.admin_password {
        Some(pw) => {
            println!("平台管理员账号：{}", gongkai_app::demo::DEMO_ADMIN);
            println!("初始密码（仅显示这一次，请妥善保存）：{pw}");
        }
        None => println!(
            "平台管理员账号 {} 已存在；如忘记密码，请运行 gongkai create-admin --username {} 重设。",
            gongkai_app::demo::DEMO_ADMIN,
            gongkai_app::demo::DEMO_ADMIN
        ),
    }
    Ok(())
}

async fn create_admin(app: &App, username: &str, display_name: &str, password_stdin: bool) -> Result<()> {
    let (password, generated) = if password_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("无法读取标准输入")?;
        (s.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (gongkai_app::random_token(16), true)
    };
    let form = UserForm { username: username.into(), display_name: display_name.into(), password: password.clone() };
    if app.create_or_reset_platform_admin(Caller::System("cli"), &form).await? {
        println!("已创建平台管理员 {username}。");
    } else {
        println!("已为 {username} 设置新密码。");
    }
    if generated {
        println!("密码（仅显示这一次）：{password}");
    }
    Ok(())
}

async fn serve(app: App, addr: &str, web: gongkai_web::WebConfig) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("无法监听 {addr}"))?;
    let local = listener.local_addr()?;
    // The search index catches up with the change feed before the first request, so that a search right after
    // start (or after `--demo`) does not answer from an empty index; then it follows the feed every second, on
    // every node (each node has its own index).
    match app.sync_search().await {
        Ok(n) if n > 0 => tracing::info!(changes = n, "search index brought up to date"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "search index: could not catch up with the change feed"),
    }
    tokio::spawn(app.clone().follow_search(std::time::Duration::from_secs(1)));
    // Background work: the job queue, and an hourly clean-up of expired sessions.
    tokio::spawn(JobRunner::new(app.clone()).run_forever(std::time::Duration::from_secs(2)));
    // Freed heap back to the system every ten seconds (a rebuilt index or a rendered PDF leaves much of it).
    tokio::spawn(heap::every(std::time::Duration::from_secs(10)));
    let purge_app = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = purge_app.enqueue(PURGE_SESSIONS, serde_json::json!({})).await {
                tracing::warn!(error = %e, "could not queue session clean-up");
            }
        }
    });
    // Daily, and once at start: documents whose validity changed because a date passed are re-indexed, and the
    // reminders of 分工方案 tasks that have come are written.
    let daily_app = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            every.tick().await;
            if let Err(e) = daily_app.enqueue(gongkai_app::catalog::REVALIDATE, serde_json::json!({})).await {
                tracing::warn!(error = %e, "could not queue the validity re-index");
            }
            if let Err(e) = daily_app.enqueue(gongkai_app::jobs::PRUNE_SEARCH_FEED, serde_json::json!({})).await {
                tracing::warn!(error = %e, "could not queue the search feed clean-up");
            }
            // 分工方案: reminders 10 working days before due dates.
            let remind = gongkai_app::supervision::workplan_progress::REMIND;
            if let Err(e) = daily_app.enqueue(remind, serde_json::json!({})).await {
                tracing::warn!(error = %e, "could not queue the workplan reminders");
            }
        }
    });
    // Website self-monitoring: every configured URL probed hourly (24 a day, §2.2.1 asks for 20), and the daily
    // check result of every agency recorded once a day (and at start).
    let monitor_app = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        let mut hours = 0u32;
        loop {
            every.tick().await;
            if let Err(e) =
                monitor_app.enqueue(gongkai_app::supervision::monitor_jobs::PROBE, serde_json::json!({})).await
            {
                tracing::warn!(error = %e, "could not queue the site probes");
            }
            if hours.is_multiple_of(24)
                && let Err(e) = monitor_app
                    .enqueue(gongkai_app::supervision::monitor_jobs::DAILY_CHECK, serde_json::json!({}))
                    .await
            {
                tracing::warn!(error = %e, "could not queue the daily site check");
            }
            hours = hours.wrapping_add(1);
        }
    });
    println!("gongkai 已启动：http://{local}/  （按 Ctrl+C 停止）");
    gongkai_web::serve(listener, app, Arc::new(web), shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// A minimal HTTP/1.1 probe of `/healthz` (no client library needed for one GET on the local network).
async fn healthcheck(addr: &str) -> Result<ExitCode> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = addr.trim_start_matches("http://").trim_end_matches('/');
    let connect = tokio::net::TcpStream::connect(addr);
    let mut stream = match tokio::time::timeout(std::time::Duration::from_secs(5), connect).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            println!("不健康：无法连接 {addr}：{e}");
            return Ok(ExitCode::FAILURE);
        }
        Err(_) => bail!("连接 {addr} 超时"),
    };
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await?;
    let mut buf = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut buf))
        .await
        .context("读取响应超时")??;
    let text = String::from_utf8_lossy(&buf);
    let status_ok = text.starts_with("HTTP/1.1 200");
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    if status_ok && body.contains("\"status\":\"ok\"") {
        println!("健康：{addr} 运行正常 {body}");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("不健康：{addr} 返回 {}", text.lines().next().unwrap_or("（无响应）"));
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://data/gongkai.db"), "sqlite://data/gongkai.db");
    }
}
