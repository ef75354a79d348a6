use thiserror::Error;

/// Errors of the store layer. Constraint violations are told apart so services can explain them.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("记录不存在")]
    NotFound,
    /// A unique constraint was violated (e.g. an agency code or username already taken).
    #[error("重复的记录：{0}")]
    Conflict(String),
    /// A foreign key or check constraint was violated.
    #[error("数据约束不满足：{0}")]
    Constraint(String),
    #[error("数据库错误：{0}")]
    Database(#[source] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("不支持的数据库地址：{0}")]
    BadUrl(String),
    #[error("数据编码错误：{0}")]
    Encoding(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict(db.message().to_owned()),
                sqlx::error::ErrorKind::ForeignKeyViolation
                | sqlx::error::ErrorKind::NotNullViolation
                | sqlx::error::ErrorKind::CheckViolation => StoreError::Constraint(db.message().to_owned()),
                _ => StoreError::Database(e),
            },
            _ => StoreError::Database(e),
        }
    }
}
