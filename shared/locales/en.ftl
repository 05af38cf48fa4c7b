# Pulse: English texts. Every message must exist in every locales/*.ftl file
# and be declared in shared/src/domain/i18n.rs (see its module doc).

## Respondent pages: chrome

survey-title = Your feedback
survey-duration-quick = This quick check-in takes about two minutes.
survey-duration-assessment = This survey takes about five to seven minutes.
survey-logo-alt = { $org } logo
survey-description = A short survey by { $org }: a minute of your time helps it improve.
survey-language = Language
survey-submit = Submit
survey-required = required
survey-optional = optional
survey-choose-one = Choose one
survey-choose-any = Choose all that apply
survey-resource-link = More information and resources
survey-error-summary = Please check the answers marked below.

## Validation errors

error-required = Please answer this question.
error-not-a-number = Please choose one of the numbers shown.
error-out-of-range = This answer is outside the scale.
error-not-an-option = Please choose one of the options shown.
error-too-long = This answer is too long: at most { $max ->
        [one] one character is
       *[other] { $max } characters are
    } allowed.
error-contact-needed = Please tell us how to reach you, or choose not to be contacted.
error-contact-invalid = Please enter an email address or a phone number.

## End pages

thank-you-title = Thank you!
thank-you-body = Your answers have been received.
already-answered-title = Already answered
already-answered-body = This survey link has already been used to answer. Thank you for taking part.
budget-closed-title = This survey is closed for this month
budget-closed-body = This survey is not accepting any more responses this month, so your answers were not recorded. Thank you for wanting to take part.
survey-closed-title = This survey is closed
survey-closed-body = This survey no longer takes answers, so nothing you send here is recorded. Thank you for wanting to take part.
link-expired-title = This link has expired
link-expired-body = This personal survey link is no longer valid, so nothing you send here is recorded. If you would still like to answer, please contact whoever sent you the link and ask for a new one.
not-found-title = Survey not found
not-found-heading = This link does not lead to a survey
not-found-body = The survey may have closed, or the link may be incomplete. Please check that you copied the whole link from your invitation.

## Unsubscribe and report pages

unsubscribe-title = Unsubscribe from survey invitations?
unsubscribe-text = { $email } receives survey invitations from { $org }.
unsubscribe-button = Unsubscribe
unsubscribed-title = Unsubscribed
unsubscribed-text = { $email } will receive no more survey invitations from { $org }.
opt-out-title = Stop response notifications and reports?
opt-out-text = { $email } receives emails when the { $org } pulse survey reaches its response thresholds, and its scheduled reports.
opt-out-button = Stop these notifications
opted-out-title = Notifications stopped
opted-out-text = { $email } will no longer receive response notifications or scheduled reports for { $org }.
unsubscribe-unknown-project = this project
report-in-progress-title = Report in progress
report-in-progress-body = This report is still being made. Try again in a minute.

## Sections

section-communication = Communication
section-action = Our actions
section-confidence = Confidence
section-in-person = Visiting us in person
section-metrics = Your overall experience
section-customer-needs = Your needs
section-about-you = About you
section-follow-up = Follow-up

## Questions and their options

question-comm-frequency = How often would you like { $org } to update you on the measures it is taking?
option-frequency-daily = Daily
option-frequency-weekly = Weekly
option-frequency-every-two-weeks = Every two weeks
option-frequency-monthly = Monthly
option-frequency-when-something-changes = Only when something changes
question-comm-channels = Through which channels would you like to hear from { $org }?
option-channel-email = Email
option-channel-website = Website
option-channel-social-media = Social media
option-channel-app = Mobile app
option-channel-sms = Text message (SMS)
option-channel-phone = Phone call
option-channel-in-person = In person
question-comm-met = How well does { $org }'s communication about its measures meet your expectations?
scale-expectations-min = Far below expectations
scale-expectations-max = Far above expectations
question-action-satisfaction = How satisfied are you with the measures { $org } has taken so far?
scale-satisfaction-min = Very dissatisfied
scale-satisfaction-max = Very satisfied
question-action-relevance = How relevant to you are the measures taken?
scale-relevance-min = Not at all relevant
scale-relevance-max = Extremely relevant
question-action-timeliness = How timely were the measures taken?
scale-timeliness-min = Far too late
scale-timeliness-max = Right on time
question-confidence = How confident are you in { $org }'s continued ability to meet your changing needs?
scale-confidence-min = Not at all confident
scale-confidence-max = Completely confident
question-in-person-change = Compared with before, how often do you now visit { $org } in person?
option-visits-more = More often
option-visits-same = About as often
option-visits-less = Less often
option-visits-stopped = I have stopped visiting
option-visits-never = I never visited in person
question-in-person-channels = Where do you usually meet us in person?
question-in-person-preference = How would you prefer to interact with us in the coming months?
option-prefer-in-person = In person, as before
option-prefer-in-person-with-measures = In person, with safety measures in place
option-prefer-online = Online or by delivery
option-prefer-phone = By phone
question-nps = How likely is it that you would recommend { $org } to a friend or colleague?
scale-nps-min = Not at all likely
scale-nps-max = Extremely likely
question-csat = Overall, how satisfied are you with { $org }?
question-ces = How easy was it to get what you needed from { $org }?
scale-effort-min = Very difficult
scale-effort-max = Very easy
question-needs = What could { $org } do better or differently to support you right now?
question-industry = Which industry is your organisation in?
question-size-revenue = What is your organisation's annual revenue?
question-size-employees = How many people does your organisation employ?
question-location = Where are you located?
question-follow-up = Would you like someone from { $org } to contact you about your answers?
option-follow-up-yes = Yes, please contact me
option-follow-up-no = No, thank you
question-follow-up-contact = How should we reach you? (email address or phone number)

## Default options a project may keep (the stored value is the English text)

industry-financial-services = Financial services
industry-healthcare = Healthcare
industry-manufacturing = Manufacturing
industry-retail = Retail
industry-technology = Technology
industry-telecommunications = Telecommunications
industry-education = Education
industry-government = Government
industry-energy = Energy and utilities
industry-transport = Transport and logistics
industry-professional-services = Professional services
industry-other = Other
size-revenue-under-1m = Less than $1 million
size-revenue-1m-10m = $1 million – $10 million
size-revenue-10m-50m = $10 million – $50 million
size-revenue-50m-250m = $50 million – $250 million
size-revenue-250m-1b = $250 million – $1 billion
size-revenue-over-1b = More than $1 billion
size-employees-1-9 = 1–9
size-employees-10-49 = 10–49
size-employees-50-249 = 50–249
size-employees-250-999 = 250–999
size-employees-1000-4999 = 1,000–4,999
size-employees-5000-plus = 5,000 or more
in-person-store = Store
in-person-branch = Branch office
in-person-restaurant = Restaurant
in-person-event = Event or venue

## US states (proper names; translated where the language has its own name)

us-state-alabama = Alabama
us-state-alaska = Alaska
us-state-arizona = Arizona
us-state-arkansas = Arkansas
us-state-california = California
us-state-colorado = Colorado
us-state-connecticut = Connecticut
us-state-delaware = Delaware
us-state-florida = Florida
us-state-georgia = Georgia
us-state-hawaii = Hawaii
us-state-idaho = Idaho
us-state-illinois = Illinois
us-state-indiana = Indiana
us-state-iowa = Iowa
us-state-kansas = Kansas
us-state-kentucky = Kentucky
us-state-louisiana = Louisiana
us-state-maine = Maine
us-state-maryland = Maryland
us-state-massachusetts = Massachusetts
us-state-michigan = Michigan
us-state-minnesota = Minnesota
us-state-mississippi = Mississippi
us-state-missouri = Missouri
us-state-montana = Montana
us-state-nebraska = Nebraska
us-state-nevada = Nevada
us-state-new-hampshire = New Hampshire
us-state-new-jersey = New Jersey
us-state-new-mexico = New Mexico
us-state-new-york = New York
us-state-north-carolina = North Carolina
us-state-north-dakota = North Dakota
us-state-ohio = Ohio
us-state-oklahoma = Oklahoma
us-state-oregon = Oregon
us-state-pennsylvania = Pennsylvania
us-state-rhode-island = Rhode Island
us-state-south-carolina = South Carolina
us-state-south-dakota = South Dakota
us-state-tennessee = Tennessee
us-state-texas = Texas
us-state-utah = Utah
us-state-vermont = Vermont
us-state-virginia = Virginia
us-state-washington = Washington
us-state-west-virginia = West Virginia
us-state-wisconsin = Wisconsin
us-state-wyoming = Wyoming

## Respondent pages: the assessment in steps, the follow-up contact

survey-step-of = Step { $n } of { $total }
survey-step-next = Next
survey-step-back = Back
survey-contact-hint = We use it only to answer you.
survey-contact-notice = You asked us to contact you: please tell us below how we can reach you.

## Website widget (the survey shown in a website's iframe)
embed-off-title = This survey cannot be shown on other websites
embed-off-body = { $org } has not enabled showing this survey inside a website. You can answer it on its own page.
embed-off-link = Open the survey
embed-frame-title = { $org }: customer survey

## ---- emails, notifications, dashboard and reports (below this line) ----

## Response notifications

mail-notification-subject = { $org }: { $reached ->
    [one] { $reached } response reached
   *[other] { $reached } responses reached
}
mail-notification-headline = Your pulse survey for { $org } has reached { $reached ->
    [one] { $reached } response
   *[other] { $reached } responses
} ({ $count } in total now).
mail-notification-nps = { $score } (95 % interval { $low } to { $high }, from { $answers ->
    [one] { $answers } answer
   *[other] { $answers } answers
})
mail-notification-no-nps = no NPS answers yet
mail-notification-current-nps = Current NPS
mail-notification-see-report = See the report
mail-notification-why = You receive this because you are a notification recipient of this project.
mail-notification-stop = Stop these notifications
mail-alert-subject = { $org }: { $metric } alert for { $scope }
mail-alert-scope-all = all responses
mail-alert-scope-segment = { $segment } = { $value }
mail-alert-below = { $metric } for { $scope } is { $value } (95 %: { $low } to { $high }, n = { $n }), clearly below { $threshold }.
mail-alert-above = { $metric } for { $scope } is { $value } (95 %: { $low } to { $high }, n = { $n }), clearly above { $threshold }.
mail-alert-drop = { $metric } for { $scope } fell to { $value } (n = { $n }) from { $baseline } in the baseline (n = { $base_n }); a fall this large happens by chance with p = { $p }.
mail-alert-period = Period: { $from } – { $to }
mail-alert-day = Day: { $day }
mail-alert-baseline = Baseline: { $from } – { $to }
mail-alert-rule = Alert rule: { $rule }
mail-alert-quiet = There will be no new alert for this rule and segment until it has recovered.
mail-alert-see-report = See the figures for this segment

## Scheduled report emails

mail-report-subject = { $org }: pulse report { $from } – { $to }
mail-report-summary = { $responses ->
    [one] { $responses } response
   *[other] { $responses } responses
}; NPS { $score } (95 % interval { $low } to { $high }).
mail-report-summary-no-nps = { $responses ->
    [one] { $responses } response
   *[other] { $responses } responses
}; no NPS answers in this period.
mail-report-open = Open the report
mail-report-why = You receive this because you subscribed to this project's reports.
mail-report-stop = Stop these emails

## Account section emails

mail-account-subject = { $org }: account report for { $account }, { $from } – { $to }
mail-account-subject-churn = { $org }: account report for { $account }, { $from } – { $to } (churn risk)
mail-account-open = Open your account's section
mail-account-valid = (the link works for { $days ->
    [one] { $days } day
   *[other] { $days } days
})
mail-account-why = You receive this as a member of this account's team.

## Follow-up requests

mail-followup-subject = Follow-up requested: { $name } ({ $org })
mail-followup-intro = { $name } asked to be contacted about their answers to the { $org } pulse survey.
mail-followup-anonymous-person = An anonymous respondent
mail-followup-anonymous = (anonymous)
mail-followup-not-given = (not given)
mail-followup-not-on-list = (anonymous response: not on a contact list)
mail-followup-completed = Completed
mail-followup-first-name = First name
mail-followup-last-name = Last name
mail-followup-preferred-contact = Preferred email or phone
mail-followup-list-email = Email on the contact list
mail-followup-scale = { $value } (scale { $min }–{ $max })
mail-followup-advice = Please reach out within 48 hours: a quick, personal answer is what turns a concern into confidence.

## Survey invitations (the frame around the project's own message)

mail-invitation-from = You receive this survey invitation from { $org }.
mail-invitation-unsubscribe = Unsubscribe
mail-invitation-start = Start the survey

## Report dashboard

dashboard-page-title = { $org } — pulse report { $from } – { $to }
dashboard-heading = { $org } — pulse report
dashboard-subtitle-day = Report { $from } – { $to } · trend by day · generated { $generated }
dashboard-subtitle-week = Report { $from } – { $to } · trend by week · generated { $generated }
dashboard-subtitle-month = Report { $from } – { $to } · trend by month · generated { $generated }
dashboard-no-responses = No responses between { $from } and { $to }.
dashboard-headline = Headline
dashboard-nps-detail = { $promoters ->
    [one] { $promoters } promoter
   *[other] { $promoters } promoters
} · { $passives ->
    [one] { $passives } passive
   *[other] { $passives } passives
} · { $detractors ->
    [one] { $detractors } detractor
   *[other] { $detractors } detractors
}
dashboard-no-answers = no answers
dashboard-csat-detail = share of 4–5 on 1–5
dashboard-ces-detail = mean effort on 1–7 · { $easy } % easy
dashboard-responses = Responses
dashboard-in-this-period = in this period
dashboard-response-rate = Response rate
dashboard-of-invitations = of { $count ->
    [one] { $count } invitation
   *[other] { $count } invitations
}
dashboard-no-invitations = no invitations sent in this period
dashboard-follow-ups = Follow-up requests
dashboard-follow-ups-detail = respondents who asked to be contacted
dashboard-up = ▲ { $delta } vs previous period
dashboard-down = ▼ { $delta } vs previous period
dashboard-same = = previous period
dashboard-too-few = too few responses (n = { $n })
dashboard-interval = 95 %: { $low } to { $high }
dashboard-p-value = p = { $p } (two-sample test against the previous period)
dashboard-no-clear-change = no clear change vs previous period
dashboard-no-earlier = no earlier data
dashboard-trend = Trend
dashboard-chart-nps = NPS (−100 to 100)
dashboard-chart-csat = CSAT (% satisfied)
dashboard-chart-ces = CES (mean effort, 1–7)
dashboard-chart-responses = Responses per period
dashboard-no-data = no data
date-long = { $day } { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
date-short = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
date-month = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $year }
date-time = { $date }, { $hour }:{ $minute } ({ $zone })
dashboard-data-table = The figures as a table
dashboard-period = Period
dashboard-low = 95 % from
dashboard-high = 95 % to
dashboard-chart-share = Share of the largest count
dashboard-filtered = Only the responses with { $segment }: { $value }
dashboard-via = { $scale } opened from the email's score row ({ $scale_rate }) · { $button } from its button ({ $button_rate })
dashboard-distributions = Score distributions
dashboard-areas = Areas
dashboard-area = Area
dashboard-area-score = Score (0–100)
dashboard-answers = Answers
dashboard-segments = Segments
dashboard-value = Value
dashboard-no-segment-values = no responses with a value
dashboard-no-segments = No segments asked for.
dashboard-small-sample = small sample (n < { $min })
dashboard-texts = Open-text answers
dashboard-follow-up-flag = follow-up requested
dashboard-no-texts = No open-text answers in this period.
dashboard-more-texts = and { $count } more
dashboard-footer = { $now ->
    [one] { $now } response
   *[other] { $now } responses
} in this period · { $before } in the period before · figures from Pulse's aggregates

## Account report sections

account-page-title = { $account } — account report
account-subtitle = { $org } · account report { $from } – { $to }
account-churn-risk = Churn risk
account-no-churn-risk = No churn risk flagged.
account-reason-detractors = { $share } % detractors (above { $limit } %)
account-reason-nps-fell = NPS fell by { $points ->
    [one] { $points } point
   *[other] { $points } points
} against the previous period
account-health-score = Health score
account-nps-detail = (previous period { $previous }; trend { $trend })
account-response-rate = Response rate
account-detractor-share = Detractor share
account-figures = Figures
account-responses = Responses
account-with-sub-accounts = This account with its sub-accounts
account-alone = This account alone
account-team = Account team
account-rule = Health score (0–100) = 50 % NPS rescaled to 0–100, 30 % CSAT, 20 % response rate (missing parts' weight spread over the others), from { $min } responses on; churn risk when, with at least { $min } responses, detractors are above { $share } % or NPS fell by { $drop } points or more against the previous period.
account-role-account-executive = Account executive
account-role-account-owner = Account owner
account-role-customer-success-manager = Customer success manager
account-role-technical-sales-professional = Technical sales professional
account-role-sales-engineer = Sales engineer
account-role-customer-support-professional = Customer support professional
account-role-other-account-team-member = Other account team member
account-client-decision-maker = Decision maker
account-client-influencer = Influencer
account-client-procurement-finance-person = Procurement or finance
account-client-program-manager = Program manager
account-client-executive-sponsor = Executive sponsor
account-client-end-user = End user
account-client-account-member = Account member

## The operators' console (render::keys::CONSOLE)
console-skip = Skip to the content
console-nav = Console
console-nav-projects = Projects
console-nav-budgets = Budgets and plans
console-nav-users = Users
console-language = Language
console-language-apply = Change
console-sign-out = Sign out
console-role-admin = Admin
console-role-editor = Editor
console-role-viewer = Viewer
console-role-none = No role
console-sign-in-title = Sign in to Pulse
console-email = Email address
console-password = Password
console-sign-in = Sign in
console-forgot-link = Forgot your password?
console-signed-out = You have signed out.
console-session-expired = Your session has ended. Please sign in again; you will come back to the page you asked for.
console-new-password-title = Choose your password
console-new-password-intro = This is your first sign-in with the temporary password. Choose your own password to continue.
console-new-password = New password
console-repeat-password = Repeat the new password
console-password-policy = At least 12 characters with upper- and lower-case letters, a digit and a symbol.
console-set-password = Set password
console-totp-title = Enter the code from your authenticator app
console-totp-code = Six-digit code
console-forgot-title = Reset your password
console-forgot-intro = Enter your email address and we will send you a code to set a new password.
console-forgot-send = Send the code
console-forgot-sent = If the address has a console account, a code is on its way. Enter it below with your new password.
console-forgot-code = Code from the email
console-back-to-sign-in = Back to sign-in
console-password-changed = Your password has been changed. Sign in with it now.
console-err-credentials = The email address or the password is wrong.
console-err-disabled = This account is disabled. Ask an administrator of your team.
console-err-weak-password = The password does not meet the rules: at least 12 characters with upper- and lower-case letters, a digit and a symbol.
console-err-passwords-differ = The two passwords are not the same.
console-err-code = The code is wrong. Check it and try again.
console-err-code-expired = The code has expired. Ask for a new one.
console-err-too-many = Too many attempts. Wait a few minutes, then try again.
console-err-reset-required = Your password must be reset first: use “Forgot your password?”.
console-err-sign-in-expired = The sign-in took too long. Please start again.
console-err-unavailable = Sign-in is not available right now. Try again in a moment.
console-err-csrf = This form has expired or did not come from the console. Go back, reload the page and send it again.
console-err-no-role = Your account has no role yet. Ask an administrator to give you one.
console-err-forbidden = Your role does not allow this. Nothing was changed.
console-err-required = Please fill in this field.
console-err-language-needed = Choose at least one language.
console-err-email = Enter an email address such as name@example.com.
console-forbidden-title = Not allowed
console-not-found-title = Page not found
console-problem-title = Something went wrong
console-request-id = Request id to quote: { $id }
console-projects-title = Pulse projects
console-projects-caption = Each project with its state, its responses and its NPS.
console-new-project = New project
console-no-projects = No projects yet.
console-col-project = Project
console-col-state = State
console-col-responses = Responses
console-col-role = Role
console-col-actions = Actions
console-kind-quick = Quick check-in (about 2 minutes)
console-kind-assessment = Assessment (5–7 minutes)
console-state-draft = Draft
console-state-published = Published, version { $version }
console-wizard-title = Set up a pulse project
console-wizard-errors = Please correct the following:
console-field-kind = Kind of survey
console-field-kind-hint = Fixed once the project is created.
console-field-org = Organisation name
console-field-business = Business type
console-field-languages = Survey languages
console-field-operational = Operational data fields
console-field-operational-hint = One per line, spelt exactly as the column of your contact lists (“Business Unit” is not “BusinessUnit”).
console-field-resource = Resource page shown at the end (optional)
console-save-draft = Save as draft
console-saved-notice = Saved as a draft. Preview it, then publish it when it is ready.
console-published-notice = Published as version { $version }. Respondents now see this version.
console-revision = Draft revision
console-preview-title = Preview
console-preview-open = Preview the survey as respondents will see it
console-preview-intro = The draft as respondents will see it once published, on a phone and on a computer. Answers given here are not stored.
console-preview-phone = Survey preview at phone width
console-preview-desktop = Survey preview at computer width
console-publish = Publish
console-publish-hint = Publishing makes the current draft the version respondents see; later edits make a new draft.
console-links-title = Links
console-anonymous-link = Anonymous link (web page, widget, QR code)
console-open-survey = Open the survey
console-qr-alt = QR code of the anonymous link
console-qr-download = Download the QR code (SVG)
console-link-after-publish = The links work once the project is published.
console-budgets-title = Budgets and plans
console-no-accounts = No accounts yet: projects without an account are not budgeted.
console-plan = Plan
console-month = Billing month
console-budget = Monthly budget
console-used = Used
console-remaining = Remaining
console-refused = Refused this month
console-lifetime = Lifetime used / cap
console-refuses-next = What refuses the next record
console-last-sync = Last sync
console-last-accepted = Last accepted record
console-change-plan = Plan of this account
console-change-plan-button = Change the plan
console-users-title = Console users
console-role-of = Role of { $email }
console-save = Save
console-user-enabled = Active
console-user-disabled = Disabled
console-disable = Disable
console-enable = Enable
console-invite-title = Invite a colleague
console-invite-hint = They receive an email with a temporary password.
console-invite = Invite

## The console's guided setup (render::keys::CONSOLE_SETUP)
console-steps = Setup steps
console-step-of = Step { $step } of { $steps }
console-step-basics = What the project is
console-step-questions = Questions
console-step-wording = Wording
console-step-after = After a response
console-step-account = Account and budget
console-step-logo = Logo
console-step-summary = Summary
console-save-continue = Save and continue
console-back = Back
console-edit = Change
console-business-b2b = B2B: business customers
console-business-b2c = B2C: consumers
console-field-default-language = Default language
console-field-default-language-hint = Respondents whose language is not offered see this one. It must be one of the languages chosen above.
console-err-default-language = The default language must be one of the survey languages.
console-err-field = Please check this field: { $detail }
console-err-number = Enter a whole number, such as 10.
console-err-logo-size = The logo is larger than 1 MB. Choose a smaller file.
console-err-logo-type = The logo must be a PNG, JPEG or SVG image.
console-one-per-line = One per line.
console-field-industries = Industries offered as answers
console-field-size-measure = Company size is measured by
console-size-employees = Number of employees
console-size-revenue = Revenue
console-field-size-bands = Size bands
console-field-size-bands-hint = One per line; pre-filled with the defaults for the measure, change them as you like.
console-field-in-person = In-person behaviour
console-field-in-person-yes = Ask how customers' visits change and how they want to interact in person
console-field-channels = In-person channels
console-field-locations = Locations respondents choose from
console-field-locations-hint = One per line; left empty, the 50 US states are offered.
console-field-demographics = Extra questions about the respondent
console-field-demographics-hint = One per line: the question, then a colon and the options separated by commas (“Age group: 18–34, 35–54, 55+”); without options it is a free-text answer. Do not ask what the contact list already supplies.
console-field-hidden = Optional questions to leave out
console-field-hidden-hint = Ticked questions are not asked. Required questions (the metrics) are always asked.
console-wording-intro = Change the wording of any question in each language of the survey. Leave the text as it is to keep the standard wording.
console-field-follow-ups = Follow-up requests
console-field-follow-ups-hint = Respondents may ask to be contacted; up to ten colleagues are emailed with their details.
console-field-follow-ups-on = Offer respondents to be contacted
console-field-recipients = Recipients
console-recipients-hint = Email addresses, one per line (1 to 10).
console-field-notifications = Response notifications
console-notify-off = Off
console-notify-every = Every N responses (at N, 2N, 3N …)
console-notify-once = Once, when N responses are reached
console-field-notify-n = N (number of responses)
console-field-reports = Scheduled report
console-report-off = No scheduled report
console-report-daily = Daily
console-report-weekly = Weekly (Mondays)
console-report-monthly = Monthly
console-field-subscribers = Who receives the report
console-account-intro = The account whose plan and monthly budget this project's invitations and anonymous responses count against.
console-field-account = Account
console-no-account = No account (not budgeted)
console-field-logo = Logo file
console-field-logo-hint = PNG, JPEG or SVG, at most 1 MB. It appears at the top of the survey.
console-logo-current = Current logo
console-edit-setup = Change the setup

## The console's dashboard and responses (render::keys::CONSOLE_INSIGHTS)
console-project-nav = Project
console-tab-overview = Overview
console-tab-dashboard = Dashboard
console-tab-responses = Responses
console-dashboard-title = Dashboard of { $org }
console-dashboard-range = Range and breakdown
console-period = Trend by
console-period-day = Day
console-period-week = Week
console-period-month = Month
console-from = From (first day)
console-to = To (last day)
console-segment = Break down by
console-no-segment = No breakdown
console-show = Show
console-downloads = Downloads and share links
console-make-report-hint = Makes the HTML, CSV and JSON of the range shown, with a link to share for 90 days.
console-make-report = Make the downloads
console-no-reports = No reports made yet.
console-share-link = New share link
console-share-shown-once = Share link made. Copy it now: it is shown only this once, and opens the report for 90 days without sign-in.
console-refresh = Being made: reload
console-responses-title = Responses to { $org }
console-filter = Filter
console-channel = Link
console-any = Any
console-channel-personal = Personal link
console-channel-anonymous = Anonymous link
console-band = NPS group
console-band-promoters = Promoters (9–10)
console-band-passives = Passives (7–8)
console-band-detractors = Detractors (0–6)
console-follow-up-asked = Asked to be contacted
console-yes = Yes
console-no = No
console-segment-value = Segment
console-segment-value-hint = A field and its value, such as Region=North.
console-responses-count =
    { $count ->
        [one] One response in all.
        *[other] { $count } responses in all.
    }
console-export-csv = Export these responses (CSV)
console-responses-caption = Responses matching the filter, oldest first.
console-submitted = Submitted
console-contact = Contact
console-next-page = Next page
console-response-title = A response
console-version = Survey version
console-answers = Answers

## The console's website widget (render::keys::CONSOLE_EMBED)
console-embed-title = Website widget
console-embed-intro = Websites you list here may show the anonymous survey inside their pages. Responses through it are stored and counted like those through the anonymous link.
console-embed-origins = Websites allowed to show the survey
console-embed-origins-hint = One origin a line, such as https://www.example.com: https only, no path, no wildcard. Empty: no website may show it.
console-embed-save = Save websites
console-embed-snippet = Code to paste into the website's page
console-embed-off = No website may show the survey yet: list its origin below first.

## The console's project page (render::keys::CONSOLE_PROJECT)
console-change-org = The organisation name
console-change-languages = The survey languages
console-change-resource = The resource page link
console-change-logo = The logo
console-change-added = Asked now: { $question }
console-change-removed = No longer asked: { $question }
console-change-changed = Changed: { $question }
console-unpublished-title = Changes not yet published
console-unpublished-none = No changes.
console-history-title = Published versions
console-history-version = Version { $version }
console-history-first = The first published version.
console-minted = The personal link (send it to this contact only):
console-mint-title = A personal link for one contact
console-mint-hint = For a link you hand out yourself; the contact's fields are attached to the response and not asked again.
console-first-name = First name
console-last-name = Last name
console-contact-language = The contact's language
console-mint-button = Make the link
console-survey-open = The survey is open: its links take answers.
console-survey-closed = The survey has been closed since { $at } (UTC): its links show a page saying so and take no answers.
console-close-survey = Close the survey
console-reopen-survey = Reopen the survey
console-rotate-title = Replace the anonymous link
console-rotate-hint = The current link and its QR code stop working at once. Personal links keep working.
console-rotate-button = Replace the link
console-rotated-notice = The anonymous link was replaced. Share the new link and QR code below.
console-link-days = Days a personal link works after it is made (1 to 365)
console-link-days-save = Save the days
console-delete-title = Delete this project
console-delete-hint = Deletes the project with every response, contact, mailing list, distribution, report and file; every link to it stops working. This cannot be undone.
console-delete-confirm = To confirm, type the project's name: { $name }
console-delete-button = Delete the project and all its data
console-delete-mismatch = The name does not match the project's name, so nothing was deleted.
console-deleted-notice = The project was deleted. Its data is being removed in the background.
console-shares = Share links
console-shares-title = Share links of the report { $from } – { $to }
console-shares-hint = A link is shown only when it is made. Here you see when each was made and until when it works, and you can revoke it.
console-shares-none = This report has no share links.
console-col-label = Made for
console-col-made = Made (UTC)
console-col-expires = Works until (UTC)
console-revoke = Revoke
console-revoked-notice = The link was revoked: it opens nothing any more.
console-delete-report = Delete this report and its files
console-report-deleted-notice = The report and its files were deleted; its share links open nothing any more.
console-tab-contacts = Contacts
console-contacts-title = Contacts of { $org }
console-lists-title = Mailing lists
console-no-lists = No mailing lists yet: each contact file uploaded makes one.
console-col-list = List
console-col-members = Contacts
console-members-title = Members of { $list }
console-find-title = Find a contact by address
console-find-button = Find
console-contact-not-found = Nobody with this address is among the project's contacts or suppressed addresses.
console-contact-title = Contact
console-not-suppressed = Not suppressed: invitations are sent to this address.
console-suppressed-state = Suppressed ({ $reason }) since { $at } (UTC): no invitations are sent to this address.
console-reason-manual = added by hand
console-reason-unsubscribed = unsubscribed
console-reason-bounced = bounced
console-reason-complained = marked as spam
console-reason-deleted = deleted in the CRM
console-erase-title = Erase this person (GDPR)
console-erase-hint = Removes the contact, its list memberships and personal links at once, then their name, address and free text from every response and report; the scores stay. If the address is suppressed, the suppression is kept as a code, so that they are never mailed again.
console-erase-confirm = I understand that this cannot be undone.
console-erase-button = Erase the person
console-erase-unconfirmed = Tick the box to confirm; nothing was erased.
console-job-title = Erasure
console-job-running = Still running (now: { $phase }). The person's directory entries are already gone.
console-job-done = Done: nothing of the person is left but the code of a suppression.
console-job-removed = What was removed where
console-job-done-clean = Done: nothing of the person is left.
console-place-contact = Contact
console-place-list-memberships = List memberships
console-place-links = Personal survey links
console-place-b2b-contacts = B2B contact records
console-place-invitations = Invitation records
console-place-triggered = Triggered sends (contact details blanked)
console-place-suppression = Suppression (kept as a code, never mailed again)
console-place-responses = Responses (name, address and free text removed; scores kept)
console-place-reports = Reports rebuilt without the person
console-place-uploads = Contact files rewritten without the person
console-place-import-reports = Rejected-rows files rewritten without the person
console-phase-responses = responses
console-phase-reports = stored reports
console-phase-files = contact files
console-suppressions-title = Suppressed addresses
console-suppressions-none = No address is suppressed.
console-col-address = Address
console-col-reason = Reason
console-col-since = Since (UTC)
console-suppress-title = Suppress an address by hand
console-suppress-button = Suppress
console-lift = Lift
console-lift-hint = Only suppressions added by hand can be lifted: an unsubscribe, a bounce or a spam report stays.
console-tab-sends = Invitations
console-sends-title = Invitations of { $org }
console-no-sends = No invitations have been sent yet.
console-col-started = Started (UTC)
console-col-sent = Sent
console-col-skipped = Skipped
console-col-failed = Failed
console-send-title = Invitations started { $at } (UTC)
console-send-state = State: { $state }
console-dist-scheduled = scheduled
console-dist-planning = being prepared
console-dist-sending = sending
console-dist-done = done
console-dist-cancelled = cancelled
console-dist-paused = paused
console-count-planned = Planned
console-skip-suppressed = Skipped: the address is suppressed
console-skip-unsubscribed = Skipped: unsubscribed
console-skip-invalid = Skipped: not an email address
console-skip-quiet = Skipped: invited recently (quiet period)
console-skip-budget = Skipped: the budget was used up
console-skip-cancelled = Skipped: the sending was cancelled
console-skip-erased = Skipped: the person was erased (GDPR)
console-count-reminders = Reminders sent
console-count-reminders-budget = Reminders not sent: the budget was used up
console-failed-refused = of which refused by the mail service (address or message)
console-failed-unknown = of which delivery unknown (a run stopped while sending; not sent again)
console-failed-no-message = of which no message in a language for the contact
console-count-responses = Responses
console-response-share = { $n } ({ $percent } % of those sent)
console-count-not-answered = Not answered yet
console-reminder-due = Reminder due
console-cancel-send = Cancel the sending
console-cancel-send-hint = Invitations already sent stay sent; the rest are skipped.
console-recipients-title = Recipients: who got it, who did not, and why
console-show-state = Show
console-state-all = everyone
console-col-outcome = What happened
console-outcome-sent = Sent
console-outcome-waiting = Being sent
console-outcome-failed = Failed: { $reason }
console-no-recipients = Nobody on this page.
console-err-url = Enter a full address starting with https://, such as https://example.com/help.
console-err-emails = One of the lines is not an email address. Enter one address per line, such as name@example.com.
console-col-last-day = Latest day with responses (last four weeks)

refused-title = Your answers were not accepted
refused-body = This form could not be accepted, so nothing was recorded. Please open the survey from its link again and answer there.
resend-notice = Your answers are kept below. Please check them and send the form again.
busy-notice = Many answers are arriving at this moment. Your answers are kept below; please send the form again in a minute.
busy-title = Many answers are arriving at this moment
busy-body = Nothing was recorded yet. Please go back, and send the form again in a minute: your answers are still in it.
daily-cap-title = This survey has reached today's limit
daily-cap-body = This survey accepts no more answers today, so your answers were not recorded. Please try again tomorrow.
survey-honeypot = Leave this field empty

console-reserve = Kept for invitations each month
console-link-share = Responses through links: used of what they may use
console-set-reserve = Records kept for invitations each month
console-set-reserve-button = Keep them

console-uploads-link = Upload contacts
console-uploads-title = Contact files of { $org }
console-upload-new = Upload a file
console-upload-kind = What the file holds
console-file-contacts = Contacts for a mailing list
console-file-accounts = B2B accounts
console-file-b2b-contacts = Contacts of the B2B accounts
console-file-team = Account team members
console-upload-list-name = Name of the mailing list
console-upload-list-hint = Leave it empty to name it after today's date.
console-upload-next = Continue to choose the file
console-columns-title = Columns the file needs
console-columns-hint = The first line names the columns exactly as listed (case, spaces and punctuation count). CSV or TSV, UTF-8, up to 100 MB. Other columns are left out with a warning.
console-col-column = Column
console-col-needed = Needed
console-col-in-pulse = Becomes in Pulse
console-mapping-title = How the file's columns are read (the project's column mapping)
console-field-account-id = Account ID (from your CRM)
console-field-contact-id = Contact ID (from your CRM)
console-field-account-name = Account name
console-field-parent = Parent account (the hierarchy)
console-field-deleted = Deleted in the CRM (true: removed from Pulse)
console-field-first-name = First name
console-field-last-name = Last name
console-field-email = Email address
console-field-title = Job title (gives the client role)
console-field-account-of = The contact's or member's account
console-field-team-member = Team member's email address
console-field-team-role = Team role
console-field-attribute = Account attribute “{ $name }”
console-required = required
console-optional = optional
console-sample = Download a sample file
console-upload-choose = The file (CSV or TSV)
console-upload-button = Upload
console-upload-progress = Upload progress
console-upload-broken = The upload did not finish. Check the connection and upload the file again.
console-import-title = Import of { $list }
console-import-waiting = Waiting for the file
console-import-validating = Checking every row…
console-import-saving = Saving the contacts…
console-import-running = Saving the contacts: { $written } of { $total }
console-import-checked = Checking every row: { $rows } checked so far
console-import-done = Import finished
console-import-failed = The file was not imported; nothing was stored.
console-import-progress = Import progress
console-import-refresh = Refresh
console-count-rows = Rows read
console-count-accepted = Accepted
console-count-rejected = Rejected
console-count-merged = Duplicates merged
console-count-suppressed = Suppressed (kept, never mailed)
console-count-contacts = Contacts on the list
console-show-list = Show the list
console-warnings-title = Warnings
console-warn-unused = The column “{ $column }” is not used; its values were not stored.
console-rejections-title = First rejected rows
console-col-line = Line
console-rejected-file = Download every rejected row with its reason (CSV)
console-header-near = The column “{ $found }” looks like “{ $column }”. Rename it to “{ $column }” exactly (case, spaces and punctuation count) and upload the file again.
console-header-missing = The file has no column “{ $column }”. Add it to the first line and upload the file again.
console-file-xlsx = This is an Excel workbook (.xlsx), not a CSV file. In Excel choose File › Save As, pick the file type “CSV UTF-8 (Comma delimited) (*.csv)” and upload that file.
console-file-xls = This is an Excel 97–2003 workbook (.xls), not a CSV file. In Excel choose File › Save As, pick the file type “CSV UTF-8 (Comma delimited) (*.csv)” and upload that file.
console-file-ods = This is a LibreOffice spreadsheet (.ods), not a CSV file. In LibreOffice choose File › Save As, pick the file type “Text CSV (.csv)” and the character set “Unicode (UTF-8)”, and upload that file.
console-file-numbers = This is a Numbers document, not a CSV file. In Numbers choose File › Export To › CSV, pick the text encoding “Unicode (UTF-8)” and upload that file.
console-file-zip = This is a ZIP archive, not a CSV file. Unpack it and upload the CSV file inside.
console-file-pdf = This is a PDF document, not a contact list in CSV format. Export the list as “CSV UTF-8” from the program that holds it and upload that file.
console-file-image = This is an image, not a contact list in CSV format. Export the list as “CSV UTF-8” from the program that holds it and upload that file.
console-file-binary = This is not a text file (it contains binary data at byte { $at }). Save the list as “CSV UTF-8” and upload that file.
console-file-mixed = From line { $line } on, the file is in another text encoding than before it: it mixes encodings. Save it again as “CSV UTF-8” (Excel: “CSV UTF-8 (Comma delimited)”; LibreOffice: Text CSV with the character set “Unicode (UTF-8)”) and upload it again.
console-file-too-large = The file is { $size } MB; contact files may be at most { $limit } MB. Split it into smaller files and upload them one by one.
console-upload-too-large = This file is larger than { $limit } MB, the most a contact file may be. Split it into smaller files and upload them one by one.
console-upload-again = Upload another file
console-upload-replaced = A different file was written to this upload on { $at }. It was not imported: an upload takes one file, and what this page shows is the first file. To import the other file, upload it again.
console-imports-title = Earlier uploads
console-upload-received = The file has arrived. Opening its import…
console-continue = Continue

console-compose-link = Invite a list…
console-compose-title = Invite a list to the survey of { $org }
console-no-ready-lists = No mailing list is ready to invite yet.
console-compose-list = Mailing list
console-list-option = { $name } ({ $count ->
        [one] 1 contact
       *[other] { $count } contacts
    })
console-placeholders = Placeholders, filled in for each contact (with the script on, a click puts one where the cursor is):
console-message-in = Invitation in { $language }
console-reminder-in = Reminder in { $language }
console-subject = Subject
console-body = Text
console-body-hint = A blank line starts a new paragraph. Keep the survey link in it.
console-when = When to send
console-send-now = Now
console-send-at = At a set time
console-send-at-time = Date and time ({ $tz })
console-err-list-empty = This list has no contacts, so nobody would be invited. Choose another list, or upload a file with contacts first.
console-err-message-missing = The invitation in { $language } is missing. Write its subject and text: contacts who speak { $language } read this one.
console-err-reminder-missing = The reminder in { $language } is missing. Write its subject and text, or turn the reminder off.
console-err-send-at-past = This time has already passed ({ $tz }). Choose a later time, or send now.
console-quiet-info = Contacts invited by another distribution of this project within this many days are skipped. The project's quiet period is { $days } days; 0 skips nobody.
console-quiet-days = Quiet period (days)
console-err-quiet-days = The quiet period can be at most 365 days.
console-reminder-title = Reminder
console-reminder-on = Send one reminder to those who have not answered
console-reminder-days = Days after the invitation (1 to 60)
console-test-to = Send a test of each language to
console-test-button = Send a test
console-test-sent = { $count } test emails are on their way.
console-check-button = Check what will happen
console-send-button = Send the invitations
console-forecast-title = What will happen
console-forecast-contacts = Contacts on the list
console-forecast-send = Will get an invitation
console-forecast-estimated = The skips are estimated from the first { $checked } contacts of the list.
console-budget-use = This uses { $uses } of the budget: { $used } of { $budget } are used this month, { $remaining } remain.
console-preview-for = The emails as { $name } will get them
console-preview-frame = The invitation in { $language }
console-default-subject = How are we doing? A minute for { $org }
console-default-reminder-subject = A reminder: your opinion of { $org }
console-default-greeting = Hello { $first },
console-default-ask = how likely are you to recommend { $org } to a friend or colleague? Answering takes about a minute:
console-default-reminder-ask = a few days ago we asked for your opinion of { $org }. If you have a minute, it still helps us a lot:
console-default-thanks = Thank you!
console-default-opt-out = No more surveys from us:

console-tab-accounts = B2B accounts
console-accounts-title = B2B accounts of { $org }
console-accounts-caption = Accounts and their sub-accounts, { $from } to { $to } (figures include the sub-accounts)
console-col-account = Account
console-col-trend = NPS change
console-col-churn = Churn risk
console-no-b2b-accounts = No B2B accounts yet. Upload the accounts, their contacts and the account teams to see them here.
console-deleted-accounts = { $count } deleted accounts are kept for their history and not reported.
console-send-sections-hint = Each account's team gets one email with a link to its account's page of the last 28 days (once per report: a second click sends nothing again).
console-send-sections = Send each team its account's report
console-sections-sent = { $sections } account pages made. Team members emailed now: { $emailed }.
console-range = Period
console-trigger-title = Or send it by itself after an event (a triggered send)
console-trigger-hint = Each time your systems report the event for a contact (POST /admin/projects/…/events), this invitation goes to that contact the given number of days later. The list and the send time above are not used.
console-trigger-event = Event
console-trigger-event-hint = Lower-case letters, digits and _, such as order_placed or support_ticket_closed.
console-trigger-days = Days after the event
console-trigger-save = Save as the triggered send of this event
console-trigger-saved = Saved: each { $event } event now schedules this invitation.
console-triggers-title = Triggered sends of this project
console-trigger-remove = Remove
console-contact-invitations = Invitations
console-contact-no-invitations = No distribution has invited this contact.
console-contact-responses = Responses through their personal links
console-contact-no-responses = No response yet.
console-contact-answered = Answered on { $at }
console-col-source = Came from
console-list-ready = ready
console-list-importing = being imported
console-list-from-upload = its upload and import
console-account-contacts = Contacts of this account
console-account-no-contacts = No contacts of this account are imported.
console-col-name = Name
console-col-title = Title
console-col-client-role = Role at the account

## the automated B2B sync (drop folder)
console-sync-link = Automated sync
console-sync-title = Automated B2B sync — { $org }
console-sync-intro = Files written to the project's drop folder are imported like the three uploads, with the same column mapping: accounts first, then contacts, then team members. A run starts as soon as all three files are there, or at the scheduled time with the files that are there. The same files again change nothing.
console-sync-folder = Drop folder
console-sync-folder-hint = One file per folder (.csv, .tsv or .txt): accounts, contacts and team. A run removes the files it imported.
console-sync-copy-hint = For example, with the AWS command line:
console-sync-settings = Settings
console-sync-not-set = No sync is set up for this project yet: save the settings to start it.
console-sync-schedule = When it runs
console-sync-schedule-none = Only when all three files are there
console-sync-schedule-hourly = Also every hour, with the files that are there
console-sync-schedule-daily = Also every day at the time below, with the files that are there
console-sync-at = Time of day (HH:MM, { $tz })
console-sync-from = First day (optional)
console-sync-new-list = Put each run's new contacts on a new mailing list
console-sync-distribute = Send the automatic invitation to each run's new contacts
console-sync-enabled = The sync is on
console-sync-save = Save the sync
console-sync-saved = The sync is saved.
console-sync-runs = Runs
console-sync-no-runs = No run yet.
console-sync-col-started = Started
console-sync-col-state = State
console-sync-col-files = Files
console-sync-col-result = Result
console-sync-trigger-drop = when the files arrived
console-sync-trigger-schedule = by the schedule
console-sync-state-running = Running
console-sync-state-done = Done
console-sync-state-partial = Partly imported
console-sync-state-failed = Failed
console-sync-file-counts = { $accepted } rows imported, { $rejected } rejected
console-sync-rejection = Line { $line }, { $column }: { $reason }
console-sync-new-contacts = New contacts: { $count }
console-sync-distribution = Invitations to the new contacts started
console-sync-ignored = Ignored { $key }: { $reason }

console-sftp-link = SFTP access
console-sftp-title = SFTP access — { $org }
console-sftp-intro = Partners and data pipelines can put the three files by SFTP instead: they land in this project's drop folder and are imported as dropped files are.
console-sftp-off = This stack has no SFTP endpoint. An administrator turns it on by deploying the stack with SftpEndpoint=true; it costs about USD 0.30 an hour while it exists.
console-sftp-host = Host
console-sftp-user = User name
console-sftp-how = Sign in with the private key of one of the keys below and put each file into its folder:
console-sftp-keys = SSH keys
console-sftp-no-keys = No key yet: nobody can sign in.
console-sftp-col-type = Type
console-sftp-col-fingerprint = Fingerprint
console-sftp-col-added = Added
console-sftp-remove = Remove
console-sftp-remove-key = Remove the key { $fingerprint }
console-sftp-add = Add a key
console-sftp-public-key = Public key
console-sftp-public-key-hint = One line from the .pub file, for example ssh-ed25519 AAAA… name@laptop (ssh-keygen -t ed25519 makes a key pair).
console-sftp-add-button = Add the key
console-sftp-added = The key is added: its holder can sign in now.
console-sftp-removed = The key is removed: it no longer signs in.
console-sftp-err-empty = Paste a public key.
console-sftp-err-private = This is a private key: paste the public key (the .pub file) instead, and keep the private key to yourself.
console-sftp-err-type = Unknown key type { $type }: use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521.
console-sftp-err-body = The key is damaged (was it cut off, or wrapped onto several lines?).
console-sftp-err-weak = An RSA key needs at least 2048 bits; this one has { $bits }. Make a new one with ssh-keygen -t ed25519.
console-sftp-err-exists = This key is already added.
console-sync-source = Source
console-sync-source-drop = Drop folder (files)
console-sync-source-salesforce = Salesforce
console-sync-sf-intro = Each run reads Account, Contact and AccountTeamMember from the org, only the rows changed since the last successful run (deleted ones too), and loads them like the three files. A run that fails loads nothing and leaves the previous data as they were.
console-sync-sf-url = Salesforce address (https://…my.salesforce.com)
console-sync-sf-flow = How the connected app signs in
console-sync-sf-client-credentials = Client credentials (consumer key and secret)
console-sync-sf-jwt = JWT bearer (the certificate's private key)
console-sync-sf-username = Salesforce username (JWT bearer only)
console-sync-secret = Connected app's secret
console-sync-secret-set = Stored, last changed { $at }.
console-sync-secret-not-set = Not stored yet: the sync cannot sign in to Salesforce.
console-sync-secret-hint = Kept in AWS Secrets Manager only and never shown again; storing a new one replaces it.
console-sync-client-id = Consumer key
console-sync-client-secret = Consumer secret (client credentials)
console-sync-private-key = Private key in PEM form (JWT bearer)
console-sync-secret-save = Store the secret
console-sync-secret-saved = The secret is stored.
console-sync-run-now = Run now
console-sync-queued = The run is queued; reload this page to see it below.
console-sync-trigger-manual = asked for
console-sync-since = Changes since { $since }
console-sync-object-counts = { $object }: { $records } records ({ $deleted } deleted) on { $pages } pages

## The console's help and status section (render::keys::CONSOLE_HELP)
console-nav-help = Help and status
console-help-pages = Help and status pages
console-help-checklist = First pulse checklist
console-help-checklist-intro = Each step ticks itself as soon as the stack shows it done: nothing here is ticked by hand.
console-help-progress = { $done } of { $total } steps done
console-help-status = Status of the stack
console-help-data = Data and security of this deployment
console-help-bundle = Support bundle
console-help-bundle-intro = A file to attach to a bug report: the versions, the configuration without its secrets (the names withheld are listed), the status checks and the last errors with their request ids. It holds no addresses.
console-help-bundle-download = Download the support bundle (JSON)
console-help-bundle-admins = Only administrators can download the support bundle.
console-step-done = Done
console-step-open = Not yet
console-step-unknown = Unknown: SES did not answer
console-step-sender = The sender address is verified in SES
console-step-sender-next = Verify { $sender } (or its domain) in SES: the status page says how.
console-step-sandbox = SES is out of the sandbox
console-step-sandbox-next = Ask AWS for production access (SES console, Account dashboard); until then only verified addresses receive invitations.
console-step-project = A first project exists
console-step-project-next = Create a project with the guided setup.
console-step-upload = A first contact upload finished
console-step-upload-next = Upload a contact list to a project.
console-step-send = A first distribution was sent
console-step-send-next = Compose invitations to a list and send them.
console-step-report = A first report was generated
console-step-report-next = Make a report from the project's dashboard.
console-status-resources = Tables, bucket and queues
console-status-col-resource = Resource
console-res-core-table = Core table (projects, links, distributions, budgets)
console-res-contacts-table = Contacts table
console-res-responses-table = Responses table
console-res-data-bucket = Data bucket (files and reports)
console-res-send-queue = Send queue
console-res-import-queue = Import queue
console-res-report-queue = Report queue
console-status-col-name = Name
console-status-col-state = State
console-status-answers = Answers
console-status-silent = Does not answer
console-status-all-ok = Every table, the bucket and every queue answer.
console-status-not-all-ok = { $count ->
        [one] One resource does not answer: see below.
       *[other] { $count } resources do not answer: see below.
    }
console-status-dead-letters = Dead-letter queues
console-status-dead-intro = A message here is work that failed after its retries: read it, fix the cause in the function's logs, then send it back to its queue.
console-status-col-waiting = Messages waiting
console-status-unreadable = Cannot be read
console-status-ses = Email (SES)
console-status-sender = Sender
console-status-verified = verified
console-status-not-verified = not verified: SES refuses every email from it. Verify it with aws sesv2 create-email-identity --email-identity { $sender } and open the link SES emails, or verify its domain.
console-status-sandbox = Sandbox
console-status-in-sandbox = In the sandbox: only verified addresses receive email, at most 200 a day. Ask for production access in the SES console (Account dashboard).
console-status-out-of-sandbox = Out of the sandbox: any address can be invited
console-status-paused = Sending is paused for this AWS account: SES sends nothing until it is resumed.
console-status-quota = Send quota
console-status-quota-value = { $day } emails a day, { $rate } a second; { $sent } sent in the last 24 hours
console-status-rate = Configured send rate
console-status-rate-value = { $rate } emails a second (SesSendRate)
console-status-rate-too-high = The configured rate of { $configured } a second is over SES's { $quota } a second: SES will throttle. Deploy with SesSendRate set to at most { $quota }, or ask AWS for a higher quota.
console-status-ses-unreadable = SES's account could not be read: the sandbox and the quota are unknown.
console-status-schedules = Schedules
console-status-no-schedules = The stack names no schedules.
console-status-col-rule = Rule
console-status-col-when = When
console-status-enabled = Enabled
console-status-disabled = Disabled: it does not fire on its own
console-status-version = Version
console-status-build = Build
console-status-no-build = none recorded when it was built
console-data-intro = Generated from the template this deployment was made from and the settings it runs with: it changes when they do.
console-data-section-stores = Where personal data is kept
console-data-section-queues = Queues
console-data-section-logs = Logs
console-data-section-links = Links and sessions
console-data-col-store = Queue
console-data-col-what = Personal data
console-data-col-kept = Kept
console-data-col-encrypted = Encryption
console-data-col-reach = Who can reach it
console-data-what-core = Projects and their surveys, links (kept as keyed hashes), distributions and each invitation's outcome, reports' texts, the console's recorded errors (no addresses). A personal link names its contact.
console-data-what-contacts = Contacts: email address, name, language and the columns of the uploaded file; list memberships; suppressions (kept as a hash after an erasure).
console-data-what-responses = Responses: scores, free-text answers and the respondent's contact details when the survey was personal.
console-data-what-bucket = Uploaded contact files and their rejected rows, files of a B2B drop folder, rows fetched from Salesforce, logos and generated reports.
console-data-what-queue = Work in progress (invitation batches, import continuations, report and erasure jobs): a message may carry addresses until it is handled.
console-data-what-dead-letters = Failed work as it was sent: it may carry addresses until it is read and sent back or deleted.
console-data-undescribed = Not described: this document does not know what the template keeps here.
console-data-ttl = Items with an expiry ({ $attribute }) are deleted by DynamoDB once it passes; the rest until deleted (a project's deletion, a contact's erasure).
console-data-no-ttl = Until deleted (a project's deletion, a contact's erasure).
console-data-pitr = Point-in-time recovery keeps every change for 35 days.
console-data-stream = Changes pass through its stream, which keeps them 24 hours.
console-data-expires = { $prefix }: deleted after { $days ->
        [one] one day
       *[other] { $days } days
    }
console-data-bucket-rest = Logos and reports: until deleted (a deleted report or project, a contact's erasure).
console-data-old-versions = Old versions of overwritten or deleted files: { $days ->
        [one] one day
       *[other] { $days } days
    }
console-data-queue-kept = at most { $days ->
        [one] one day
       *[other] { $days } days
    }
console-data-enc-dynamo-default = At rest, with an AWS owned key (DynamoDB's default); in transit over TLS.
console-data-enc-kms = At rest, with a KMS key; in transit over TLS.
console-data-enc-sse = At rest ({ $algorithm }).
console-data-tls-only = Every request over TLS only.
console-data-public-blocked = No public access.
console-data-enc-queue = At rest (SQS managed keys)
console-data-enc-none = Not encrypted at rest
console-data-whole-bucket = the whole bucket
console-data-reach-iam = and whoever the AWS account's IAM policies allow (its administrators).
console-data-logs-note = The functions' logs carry request ids and counts, never addresses, names or free text. Each function's log group keeps them:
console-data-logs-kept = { $days ->
        [one] one day
       *[other] { $days } days
    }
console-data-link-personal = A personal survey link works { $days ->
        [one] one day
       *[other] { $days } days
    } by default (each project sets its own).
console-data-link-share = A report's share link works { $days ->
        [one] one day
       *[other] { $days } days
    } unless revoked.
console-data-link-account = An account section's link in an email works { $days ->
        [one] one day
       *[other] { $days } days
    }.
console-data-session = A console session lasts at most { $hours } hours; its cookies are HttpOnly, Secure and SameSite=Strict.
