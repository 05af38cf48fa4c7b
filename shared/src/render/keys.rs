//! The messages of the emails to colleagues, the invitation frame, the
//! report dashboard and the account sections: the part of the translation
//! files below their marker line, listed in [`REPORTS`] (registered in
//! [`crate::domain::i18n::keys::REGISTRY`]; see that module's doc).

use crate::domain::i18n::message_keys;

message_keys! { REPORTS;
    NOTIFICATION_SUBJECT = "mail-notification-subject" [org: Text, reached: Number];
    NOTIFICATION_HEADLINE = "mail-notification-headline" [org: Text, reached: Number, count: Number];
    NOTIFICATION_NPS = "mail-notification-nps" [score: Text, margin: Text, answers: Number];
    NOTIFICATION_NO_NPS = "mail-notification-no-nps";
    NOTIFICATION_CURRENT_NPS = "mail-notification-current-nps";
    NOTIFICATION_SEE_REPORT = "mail-notification-see-report";
    NOTIFICATION_WHY = "mail-notification-why";
    NOTIFICATION_STOP = "mail-notification-stop";

    REPORT_SUBJECT = "mail-report-subject" [org: Text, from: Text, to: Text];
    REPORT_SUMMARY = "mail-report-summary" [responses: Number, score: Text, margin: Text];
    REPORT_SUMMARY_NO_NPS = "mail-report-summary-no-nps" [responses: Number];
    REPORT_OPEN = "mail-report-open";
    REPORT_WHY = "mail-report-why";
    REPORT_STOP = "mail-report-stop";

    ACCOUNT_MAIL_SUBJECT = "mail-account-subject" [org: Text, account: Text, from: Text, to: Text];
    ACCOUNT_MAIL_SUBJECT_CHURN = "mail-account-subject-churn" [org: Text, account: Text, from: Text, to: Text];
    ACCOUNT_MAIL_OPEN = "mail-account-open";
    ACCOUNT_MAIL_VALID = "mail-account-valid" [days: Number];
    ACCOUNT_MAIL_WHY = "mail-account-why";

    FOLLOW_UP_SUBJECT = "mail-followup-subject" [name: Text, org: Text];
    FOLLOW_UP_INTRO = "mail-followup-intro" [name: Text, org: Text];
    FOLLOW_UP_ANONYMOUS_PERSON = "mail-followup-anonymous-person";
    FOLLOW_UP_ANONYMOUS = "mail-followup-anonymous";
    FOLLOW_UP_NOT_GIVEN = "mail-followup-not-given";
    FOLLOW_UP_NOT_ON_LIST = "mail-followup-not-on-list";
    FOLLOW_UP_COMPLETED = "mail-followup-completed";
    FOLLOW_UP_FIRST_NAME = "mail-followup-first-name";
    FOLLOW_UP_LAST_NAME = "mail-followup-last-name";
    FOLLOW_UP_PREFERRED_CONTACT = "mail-followup-preferred-contact";
    FOLLOW_UP_LIST_EMAIL = "mail-followup-list-email";
    FOLLOW_UP_SCALE = "mail-followup-scale" [value: Text, min: Text, max: Text];
    FOLLOW_UP_ADVICE = "mail-followup-advice";

    INVITATION_FROM = "mail-invitation-from" [org: Text];
    INVITATION_UNSUBSCRIBE = "mail-invitation-unsubscribe";
    INVITATION_START = "mail-invitation-start";

    DASHBOARD_PAGE_TITLE = "dashboard-page-title" [org: Text, from: Text, to: Text];
    DASHBOARD_HEADING = "dashboard-heading" [org: Text];
    DASHBOARD_SUBTITLE_DAY = "dashboard-subtitle-day" [from: Text, to: Text, generated: Text];
    DASHBOARD_SUBTITLE_WEEK = "dashboard-subtitle-week" [from: Text, to: Text, generated: Text];
    DASHBOARD_SUBTITLE_MONTH = "dashboard-subtitle-month" [from: Text, to: Text, generated: Text];
    DASHBOARD_NO_RESPONSES = "dashboard-no-responses" [from: Text, to: Text];
    DASHBOARD_HEADLINE = "dashboard-headline";
    DASHBOARD_NPS_DETAIL = "dashboard-nps-detail" [promoters: Number, passives: Number, detractors: Number];
    DASHBOARD_NO_ANSWERS = "dashboard-no-answers";
    DASHBOARD_CSAT_DETAIL = "dashboard-csat-detail";
    DASHBOARD_CES_DETAIL = "dashboard-ces-detail" [easy: Text];
    DASHBOARD_RESPONSES = "dashboard-responses";
    DASHBOARD_IN_THIS_PERIOD = "dashboard-in-this-period";
    DASHBOARD_RESPONSE_RATE = "dashboard-response-rate";
    DASHBOARD_OF_INVITATIONS = "dashboard-of-invitations" [count: Number];
    DASHBOARD_NO_INVITATIONS = "dashboard-no-invitations";
    DASHBOARD_FOLLOW_UPS = "dashboard-follow-ups";
    DASHBOARD_FOLLOW_UPS_DETAIL = "dashboard-follow-ups-detail";
    DASHBOARD_UP = "dashboard-up" [delta: Text];
    DASHBOARD_DOWN = "dashboard-down" [delta: Text];
    DASHBOARD_SAME = "dashboard-same";
    DASHBOARD_NO_EARLIER = "dashboard-no-earlier";
    DASHBOARD_TREND = "dashboard-trend";
    DASHBOARD_CHART_NPS = "dashboard-chart-nps";
    DASHBOARD_CHART_CSAT = "dashboard-chart-csat";
    DASHBOARD_CHART_CES = "dashboard-chart-ces";
    DASHBOARD_CHART_RESPONSES = "dashboard-chart-responses";
    DASHBOARD_NO_DATA = "dashboard-no-data";
    DASHBOARD_DISTRIBUTIONS = "dashboard-distributions";
    DASHBOARD_AREAS = "dashboard-areas";
    DASHBOARD_AREA = "dashboard-area";
    DASHBOARD_AREA_SCORE = "dashboard-area-score";
    DASHBOARD_ANSWERS = "dashboard-answers";
    DASHBOARD_SEGMENTS = "dashboard-segments";
    DASHBOARD_VALUE = "dashboard-value";
    DASHBOARD_NO_SEGMENT_VALUES = "dashboard-no-segment-values";
    DASHBOARD_NO_SEGMENTS = "dashboard-no-segments";
    DASHBOARD_SMALL_SAMPLE = "dashboard-small-sample" [min: Number];
    DASHBOARD_TEXTS = "dashboard-texts";
    DASHBOARD_FOLLOW_UP_FLAG = "dashboard-follow-up-flag";
    DASHBOARD_NO_TEXTS = "dashboard-no-texts";
    DASHBOARD_MORE_TEXTS = "dashboard-more-texts" [count: Number];
    DASHBOARD_FOOTER = "dashboard-footer" [now: Number, before: Number];

    ACCOUNT_PAGE_TITLE = "account-page-title" [account: Text];
    ACCOUNT_SUBTITLE = "account-subtitle" [org: Text, from: Text, to: Text];
    ACCOUNT_CHURN_RISK = "account-churn-risk";
    ACCOUNT_NO_CHURN_RISK = "account-no-churn-risk";
    ACCOUNT_REASON_DETRACTORS = "account-reason-detractors" [share: Text, limit: Text];
    ACCOUNT_REASON_NPS_FELL = "account-reason-nps-fell" [points: Number];
    ACCOUNT_HEALTH_SCORE = "account-health-score";
    ACCOUNT_NPS_DETAIL = "account-nps-detail" [previous: Text, trend: Text];
    ACCOUNT_RESPONSE_RATE = "account-response-rate";
    ACCOUNT_DETRACTOR_SHARE = "account-detractor-share";
    ACCOUNT_FIGURES = "account-figures";
    ACCOUNT_RESPONSES = "account-responses";
    ACCOUNT_WITH_SUB_ACCOUNTS = "account-with-sub-accounts";
    ACCOUNT_ALONE = "account-alone";
    ACCOUNT_TEAM = "account-team";
    ACCOUNT_RULE = "account-rule" [min: Number, share: Number, drop: Number];
    ROLE_ACCOUNT_EXECUTIVE = "account-role-account-executive";
    ROLE_ACCOUNT_OWNER = "account-role-account-owner";
    ROLE_CUSTOMER_SUCCESS_MANAGER = "account-role-customer-success-manager";
    ROLE_TECHNICAL_SALES_PROFESSIONAL = "account-role-technical-sales-professional";
    ROLE_SALES_ENGINEER = "account-role-sales-engineer";
    ROLE_CUSTOMER_SUPPORT_PROFESSIONAL = "account-role-customer-support-professional";
    ROLE_OTHER_ACCOUNT_TEAM_MEMBER = "account-role-other-account-team-member";
}
