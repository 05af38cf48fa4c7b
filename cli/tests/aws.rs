//! Finding a deployed stack through CloudFormation, against the emulator:
//! no credentials and a wrong stack name each stop with one line and exit
//! 3. (Its own test binary: it sets the AWS environment of the process.)

use pulse_cli::{run, Io};
use pulse_tests::TestStack;

async fn pulse(args: &[&str]) -> (i32, String, String) {
    let (mut io, out, err) = Io::captured(&[]);
    let mut full = vec!["pulse"];
    full.extend_from_slice(args);
    let code = run(full, &mut io).await;
    (code, out.text(), err.text())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credentials_and_a_wrong_stack_name_say_what_to_do() {
    let stack = TestStack::start().await;
    let nowhere = std::env::temp_dir().join("pulse-cli-no-aws-config");
    // SAFETY of the environment: this binary has this one test.
    for (k, v) in [
        ("AWS_CONFIG_FILE", nowhere.join("config")),
        ("AWS_SHARED_CREDENTIALS_FILE", nowhere.join("credentials")),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ENDPOINT_URL", stack.stack.emulator_url.clone().into()),
    ] {
        std::env::set_var(k, v);
    }
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ] {
        std::env::remove_var(k);
    }

    let (code, out, err) = pulse(&["--stack", "pulse", "--region", "us-east-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no AWS credentials") && err.contains("aws sso login"), "{err}");

    let (code, _, err) = pulse(&["--stack", "pulse", "--profile", "nobody", "--region", "us-east-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no AWS credentials (profile nobody)"), "{err}");

    // credentials the emulator takes; a stack it does not have
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    let (code, out, err) = pulse(&["--stack", "pulse-nope", "--region", "us-east-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("there is no CloudFormation stack `pulse-nope` in us-east-1"), "{err}");
    for secret in ["test\n", "AKID"] {
        assert!(!err.contains(secret) && !out.contains(secret), "no credential is printed: {err}");
    }
}
