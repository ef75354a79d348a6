use gongkai_domain::agency::Invalid;
use gongkai_store::StoreError;
use thiserror::Error;

/// Errors of the use cases. Messages of the user-facing variants are Chinese and may be shown as they are;
/// the others are logged and shown as a generic message.
#[derive(Debug, Error)]
pub enum AppError {
    /// Input refused, with the field it concerns (if any) and why.
    #[error("{message}")]
    Invalid { field: Option<&'static str>, message: String },
    /// Several fields refused at once (a public form), each with its Chinese message.
    #[error("{}", .0.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("；"))]
    InvalidFields(Vec<(&'static str, String)>),
    #[error("用户名或密码不正确")]
    BadCredentials,
    #[error("请先登录")]
    Unauthenticated,
    #[error("您没有权限进行此操作")]
    Forbidden,
    #[error("{0}不存在")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("数据库错误")]
    Store(StoreError),
    /// The storage (database or file store) cannot take the request now: disk full, I/O error, database
    /// unreachable or restarting. Nothing was saved; the user may retry later (HTTP 503).
    #[error("系统存储暂时不可用，您的操作未被保存，请稍后再试")]
    Unavailable(String),
    #[error("内部错误")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(cause) => AppError::Unavailable(cause),
            e => AppError::Store(e),
        }
    }
}

impl AppError {
    pub fn invalid(field: &'static str, e: Invalid) -> Self {
        AppError::Invalid { field: Some(field), message: e.0 }
    }

    /// Whether the message is meant for the user (the rest are internal and only logged).
    pub fn is_user_facing(&self) -> bool {
        !matches!(self, AppError::Store(_) | AppError::Internal(_))
    }
}
