//! What the JSON API's description says about its values, shared by the handlers under `/api/v1` and the OpenAPI
//! document (`api_doc`): the error shape `{code, message, fields?}`, and the coded fields as enums whose values
//! are read from the domain's own lists (`ApplicantType::ALL` …), so the document cannot drift from the rules.
//! Field errors of a coded field name the allowed values ([`with_allowed_values`]).

use gongkai_app::AppError;
use gongkai_domain::application::Stage;
use gongkai_domain::application::form::{CHANNELS, channel_code};
use gongkai_domain::application::letters::LetterKind;
use gongkai_domain::application::{ApplicantType, DeliveryForm, IdDocumentType};
use gongkai_domain::interaction::Kind;
use gongkai_domain::interaction::mailbox::{Satisfaction, Status};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// Every `code` an API error may carry (`crate::error::status` and `crate::error::localize_rejections`).
pub const ERROR_CODES: [&str; 10] = [
    "invalid",
    "unauthenticated",
    "bad_credentials",
    "forbidden",
    "not_found",
    "conflict",
    "method_not_allowed",
    "too_large",
    "too_many_requests",
    "internal",
];

/// An error of the API, whatever its status.
#[derive(Serialize, ToSchema)]
#[schema(title = "错误", description = "错误：任何错误状态码都返回这一结构")]
#[allow(dead_code)] // describes the JSON that `crate::error::api_error` writes
pub struct ApiError {
    /// A stable code for programs.
    #[schema(schema_with = error_code)]
    code: String,
    /// What went wrong, in Chinese, for people.
    message: String,
    /// With `invalid` from a form check: every field in error, each with its message.
    #[schema(required = false)]
    fields: Option<Vec<FieldError>>,
}

/// One field in error.
#[derive(Serialize, ToSchema)]
#[schema(description = "有误的字段及其说明")]
#[allow(dead_code)]
pub struct FieldError {
    /// The JSON field (`applicant_type`, `title` …).
    field: String,
    message: String,
}

fn string_enum(values: impl IntoIterator<Item = &'static str>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().collect::<Vec<_>>()))
        .description(Some(description))
        .into()
}

pub fn error_code() -> RefOr<Schema> {
    string_enum(ERROR_CODES, "错误代码")
}

/// A calendar day, `YYYY-MM-DD`.
pub fn date() -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))).into()
}

pub fn applicant_type_codes() -> Vec<&'static str> {
    ApplicantType::ALL.map(ApplicantType::as_str).to_vec()
}
pub fn id_type_codes() -> Vec<&'static str> {
    IdDocumentType::ALL.map(IdDocumentType::as_str).to_vec()
}
pub fn delivery_codes() -> Vec<&'static str> {
    DeliveryForm::ALL.map(DeliveryForm::as_str).to_vec()
}
pub fn mailbox_kind_codes() -> Vec<&'static str> {
    Kind::MAILBOX.map(Kind::as_str).to_vec()
}

pub fn applicant_type() -> RefOr<Schema> {
    let labels: Vec<String> = ApplicantType::ALL.iter().map(|t| format!("{}＝{}", t.as_str(), t.label_zh())).collect();
    string_enum(applicant_type_codes(), &format!("申请人类型：{}", labels.join("；")))
}
pub fn id_type() -> RefOr<Schema> {
    let labels: Vec<String> = IdDocumentType::ALL.iter().map(|t| format!("{}＝{}", t.as_str(), t.label_zh())).collect();
    string_enum(id_type_codes(), &format!("证件类型：{}", labels.join("；")))
}
pub fn delivery() -> RefOr<Schema> {
    let labels: Vec<String> = DeliveryForm::ALL.iter().map(|t| format!("{}＝{}", t.as_str(), t.label_zh())).collect();
    string_enum(delivery_codes(), &format!("获取信息的方式：{}", labels.join("；")))
}
pub fn mailbox_kind() -> RefOr<Schema> {
    let labels: Vec<String> = Kind::MAILBOX.iter().map(|k| format!("{}＝{}", k.as_str(), k.label_zh())).collect();
    string_enum(mailbox_kind_codes(), &format!("来信类型：{}", labels.join("；")))
}
pub fn stage() -> RefOr<Schema> {
    string_enum(Stage::ALL.map(Stage::as_str), "办理阶段")
}
pub fn letter_kind() -> RefOr<Schema> {
    string_enum(LetterKind::ALL.map(LetterKind::as_str), "文书类型")
}
pub fn mailbox_status() -> RefOr<Schema> {
    string_enum(Status::ALL.map(Status::as_str), "办理状态")
}
pub fn satisfaction() -> RefOr<Schema> {
    let values: Vec<serde_json::Value> =
        Satisfaction::ALL.iter().map(|s| s.as_str().into()).chain([serde_json::Value::Null]).collect();
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .description(Some("来信人的评价（未评价为 null）"))
        .into()
}

/// The codes of the channels an application arrives by.
pub fn channel_codes() -> Vec<&'static str> {
    CHANNELS.map(channel_code).to_vec()
}
pub fn channel() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(channel_codes()))
        .description(Some("申请渠道"))
        .into()
}

/// A PDF file.
pub struct Pdf;
impl utoipa::PartialSchema for Pdf {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).content_media_type("application/pdf").into()
    }
}
impl ToSchema for Pdf {}

/// The field errors of a coded field (`请选择申请人类型`) with the codes the API accepts appended, for API
/// clients: `请选择申请人类型（可选值：natural_person、business、…）`. The HTML forms offer a list instead.
pub fn with_allowed_values(e: AppError, coded: &[(&str, Vec<&'static str>)]) -> AppError {
    match e {
        AppError::InvalidFields(errors) => AppError::InvalidFields(
            errors
                .into_iter()
                .map(|(field, message)| match coded.iter().find(|(f, _)| *f == field) {
                    Some((_, codes)) if message.starts_with("请选择") => {
                        let message = format!("{message}（可选值：{}）", codes.join("、"));
                        (field, message)
                    }
                    _ => (field, message),
                })
                .collect(),
        ),
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coded_field_error_names_the_allowed_values() {
        let e = AppError::InvalidFields(vec![
            ("applicant_type", "请选择申请人类型".to_owned()),
            ("name", "请填写申请人姓名或名称".to_owned()),
        ]);
        let AppError::InvalidFields(errors) = with_allowed_values(e, &[("applicant_type", applicant_type_codes())])
        else {
            panic!("field errors stay field errors");
        };
        assert_eq!(
            errors[0].1,
            "请选择申请人类型（可选值：natural_person、business、research、public_welfare、legal_service、\
             other_organisation）"
        );
        assert_eq!(errors[1].1, "请填写申请人姓名或名称");
    }

    #[test]
    fn the_channel_codes_are_the_stored_ones() {
        assert_eq!(channel_codes(), ["in_person", "post_signed", "post_plain", "email", "fax", "online"]);
    }
}
