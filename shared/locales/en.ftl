# Pulse: English texts. Every message must exist in every locales/*.ftl file
# and be declared in shared/src/domain/i18n.rs (see its module doc).

## Respondent pages: chrome

survey-title = Your feedback
survey-duration-quick = This quick check-in takes about two minutes.
survey-duration-assessment = This survey takes about five to seven minutes.
survey-logo-alt = { $org } logo
survey-language = Language
survey-submit = Submit
survey-required = required
survey-optional = optional
survey-only-if-contacted = only if you would like to be contacted
survey-choose-one = Choose one
survey-choose-any = Choose all that apply
survey-resource-link = More information and resources
survey-error-summary = Please check the answers marked below.

## Validation errors

error-required = Please answer this question.
error-not-a-number = Please choose one of the numbers shown.
error-out-of-range = This answer is outside the scale.
error-not-an-option = Please choose one of the options shown.
error-too-long = This answer is too long.
error-contact-needed = Please tell us how to reach you, or choose not to be contacted.
error-contact-invalid = Please enter an email address or a phone number.

## End pages

thank-you-title = Thank you!
thank-you-body = Your answers have been received.
already-answered-title = Already answered
already-answered-body = This survey link has already been used to answer. Thank you for taking part.
budget-closed-title = This survey is closed for this month
budget-closed-body = This survey is not accepting any more responses this month, so your answers were not recorded. Thank you for wanting to take part.
not-found-title = Survey not found
not-found-heading = This link does not lead to a survey
not-found-body = The survey may have closed, or the link may be incomplete. Please check that you copied the whole link from your invitation.

## Scales

scale-nps-min = Not at all likely
scale-nps-max = Extremely likely

## ---- emails, notifications, dashboard and reports (below this line) ----
