//! Every state-changing form needs the session's CSRF token and a same-origin request.

use crate::support::{PASSWORD, TestApp, csrf_in};

#[tokio::test]
async fn login_post_without_or_with_a_wrong_token_is_refused() {
    TestApp::each(async |t| {
        let user = t.admin().await;
        // Load the form (session + token), then post without the token.
        let token = t.csrf_from("/console/login").await;
        let r = t
            .client
            .post(t.url("/console/login"))
            .form(&[("username", user.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("安全校验"));
        // A wrong token.
        let r = t
            .client
            .post(t.url("/console/login"))
            .form(&[("username", user.as_str()), ("password", PASSWORD), ("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // Another session's token does not work in this session.
        let other = t.other_browser();
        let html = other.get(t.url("/console/login")).send().await.unwrap().text().await.unwrap();
        let others = csrf_in(&html).unwrap();
        assert_ne!(others, token);
        let r = t
            .client
            .post(t.url("/console/login"))
            .form(&[("username", user.as_str()), ("password", PASSWORD), ("csrf", others.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // And the right one signs in.
        let r = t.login_as(&user, PASSWORD).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn cross_site_posts_are_refused_even_with_the_token() {
    TestApp::each(async |t| {
        let admin = t.admin().await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let token = t.csrf_from("/console/yima-edu/").await;
        let form = [("username", "admin"), ("role", "editor"), ("csrf", token.as_str())];
        let r = t
            .client
            .post(t.url("/console/yima-edu/grants"))
            .header("sec-fetch-site", "cross-site")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = t
            .client
            .post(t.url("/console/yima-edu/grants"))
            .header("origin", "http://evil.example")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // Same origin, right token: accepted.
        let origin = format!("http://{}", t.addr);
        let r = t
            .client
            .post(t.url("/console/yima-edu/grants"))
            .header("origin", origin)
            .header("sec-fetch-site", "same-origin")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn logout_needs_the_token_too() {
    TestApp::each(async |t| {
        let admin = t.admin().await;
        assert_eq!(t.login_as(&admin, PASSWORD).await.status(), 303);
        let r = t.client.post(t.url("/console/logout")).send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(t.get("/console/").await.status(), 200, "still signed in");
        let r = t.post_form("/console/", "/console/logout", &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(t.get("/console/").await.status(), 303, "signed out");
    })
    .await;
}
