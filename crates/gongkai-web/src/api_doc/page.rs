//! `/api/docs`: the OpenAPI document rendered on the server as one page, in Chinese: each operation with its
//! parameters, request body and responses, then each schema with its fields, types and allowed values. It reads
//! the document as JSON, so it shows exactly what `/api/v1/openapi.json` says.

use crate::layout::Layout;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

/// A parameter or a field: name, where (path, query, header) or whether required, type, description.
pub struct Row {
    pub name: String,
    pub place: String,
    pub kind: String,
    pub description: String,
}

pub struct Answer {
    pub status: String,
    pub description: String,
    pub kind: String,
}

pub struct Operation {
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub tag: String,
    pub params: Vec<Row>,
    pub body: Option<String>,
    pub answers: Vec<Answer>,
}

pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub fields: Vec<Row>,
}

#[derive(Template)]
#[template(path = "portal/api_docs.html")]
struct DocsPage {
    layout: Layout,
    description: String,
    version: String,
    operations: Vec<Operation>,
    schemas: Vec<SchemaDoc>,
}

/// A description as plain text (the document's Markdown backticks dropped).
fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").replace('`', "")
}

/// A schema in a few words: `字符串（date）`, `ApplicationStatus`, `数组：LetterView`, with the allowed values.
fn describe(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if let Some(all) = s.get("oneOf").or_else(|| s.get("allOf")).or_else(|| s.get("anyOf")).and_then(Value::as_array) {
        return all.iter().map(describe).collect::<Vec<_>>().join(" 或 ");
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let mut out: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "string" => "字符串".to_owned(),
            "integer" => "整数".to_owned(),
            "number" => "数值".to_owned(),
            "boolean" => "布尔值".to_owned(),
            "null" => "null".to_owned(),
            "array" => format!("数组：{}", s.get("items").map(describe).unwrap_or_default()),
            "object" => match s.get("additionalProperties") {
                Some(p) if p.is_object() => format!("对象（值为{}）", describe(p)),
                _ => "对象".to_owned(),
            },
            other => other.to_owned(),
        })
        .collect();
    if out.is_empty() {
        out.push("任意".to_owned());
    }
    let mut d = out.join(" 或 ");
    if let Some(f) = s.get("format").and_then(Value::as_str) {
        d.push_str(&format!("（{f}）"));
    }
    if let Some(m) = s.get("contentMediaType").and_then(Value::as_str) {
        d.push_str(&format!("（{m}）"));
    }
    if let Some(n) = s.get("maxLength").and_then(Value::as_u64) {
        d.push_str(&format!("，最多{n}字"));
    }
    if let (Some(a), Some(b)) = (s.get("minimum"), s.get("maximum")) {
        d.push_str(&format!("，{a}–{b}"));
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let vs: Vec<String> =
            values.iter().map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())).collect();
        d.push_str(&format!("，取值：{}", vs.join("、")));
    }
    d
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for (method, op) in item {
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| Row {
                    name: text(p, "name"),
                    place: format!(
                        "{}{}",
                        match text(p, "in").as_str() {
                            "path" => "路径",
                            "query" => "查询参数",
                            "header" => "请求头",
                            other => other,
                        }
                        .to_owned(),
                        if p.get("required").and_then(Value::as_bool) == Some(true) { "，必填" } else { "" }
                    ),
                    kind: p.get("schema").map(describe).unwrap_or_default(),
                    description: text(p, "description"),
                })
                .collect();
            let body = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .and_then(|c| c.iter().next())
                .map(|(ct, m)| format!("{ct}：{}", m.get("schema").map(describe).unwrap_or_default()));
            let answers = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, r)| Answer {
                    status: status.clone(),
                    description: text(r, "description"),
                    kind: r
                        .get("content")
                        .and_then(Value::as_object)
                        .map(|c| {
                            c.iter()
                                .map(|(ct, m)| format!("{ct}：{}", m.get("schema").map(describe).unwrap_or_default()))
                                .collect::<Vec<_>>()
                                .join("；")
                        })
                        .unwrap_or_default(),
                })
                .collect();
            out.push(Operation {
                anchor: format!("{method}-{}", path.replace(['/', '{', '}', '.'], "-")),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(op, "summary"),
                tag: op.pointer("/tags/0").and_then(Value::as_str).unwrap_or("").to_owned(),
                params,
                body,
                answers,
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<SchemaDoc> {
    let Some(all) = doc.pointer("/components/schemas").and_then(Value::as_object) else { return Vec::new() };
    all.iter()
        .map(|(name, s)| {
            let required: Vec<&str> =
                s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let fields = s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(f, p)| Row {
                    name: f.clone(),
                    place: if required.contains(&f.as_str()) { "必填".into() } else { "可选".into() },
                    kind: describe(p),
                    description: text(p, "description"),
                })
                .collect();
            SchemaDoc { name: name.clone(), description: text(s, "description"), fields }
        })
        .collect()
}

pub fn render(doc: &Value) -> Response {
    let page = DocsPage {
        layout: Layout::new("政府信息公开平台", "接口说明（API）").crumb("/", "首页"),
        description: doc.get("info").map(|i| text(i, "description")).unwrap_or_default(),
        version: doc.pointer("/info/version").and_then(Value::as_str).unwrap_or("").to_owned(),
        operations: operations(doc),
        schemas: schemas(doc),
    };
    match page.render() {
        Ok(html) => ([(header::CACHE_CONTROL, "public, max-age=300")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "api docs page");
            crate::error::page(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误", "服务暂时出现问题，请稍后再试。")
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::api_doc::page::describe;
    use serde_json::json;

    #[test]
    fn schemas_in_a_few_words() {
        assert_eq!(describe(&json!({"$ref": "#/components/schemas/ApiError"})), "ApiError");
        assert_eq!(describe(&json!({"type": "string", "enum": ["paper", "email"]})), "字符串，取值：paper、email");
        assert_eq!(describe(&json!({"type": ["string", "null"], "format": "date"})), "字符串 或 null（date）");
        assert_eq!(describe(&json!({"type": "array", "items": {"$ref": "#/c/LetterView"}})), "数组：LetterView");
    }
}
