# Pulse: deutsche Texte (förmliche Anrede „Sie“). Jede Nachricht muss in jeder
# locales/*.ftl-Datei stehen und in shared/src/domain/i18n.rs deklariert sein.

## Respondent pages: chrome

survey-title = Ihre Meinung
survey-duration-quick = Diese kurze Umfrage dauert etwa zwei Minuten.
survey-duration-assessment = Diese Umfrage dauert etwa fünf bis sieben Minuten.
survey-logo-alt = { $org } Logo
survey-description = Eine kurze Umfrage von { $org }: eine Minute Ihrer Zeit hilft bei der Verbesserung.
survey-language = Sprache
survey-submit = Absenden
survey-required = Pflichtfeld
survey-optional = freiwillig
survey-choose-one = Bitte eine Antwort wählen
survey-choose-any = Mehrfachauswahl möglich
survey-resource-link = Weitere Informationen und Hilfe
survey-error-summary = Bitte prüfen Sie die unten markierten Antworten.

## Validation errors

error-required = Bitte beantworten Sie diese Frage.
error-not-a-number = Bitte wählen Sie eine der angezeigten Zahlen.
error-out-of-range = Diese Antwort liegt außerhalb der Skala.
error-not-an-option = Bitte wählen Sie eine der angezeigten Optionen.
error-too-long = Diese Antwort ist zu lang: höchstens { $max ->
        [one] ein Zeichen
       *[other] { $max } Zeichen
    }.
error-contact-needed = Bitte geben Sie an, wie wir Sie erreichen, oder wählen Sie, nicht kontaktiert zu werden.
error-contact-invalid = Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer ein.

## End pages

thank-you-title = Vielen Dank!
thank-you-body = Ihre Antworten sind bei uns eingegangen.
already-answered-title = Bereits beantwortet
already-answered-body = Mit diesem Umfragelink wurde bereits geantwortet. Vielen Dank für Ihre Teilnahme.
budget-closed-title = Diese Umfrage ist für diesen Monat geschlossen
budget-closed-body = Diese Umfrage nimmt in diesem Monat keine weiteren Antworten an; Ihre Antworten wurden daher nicht gespeichert. Vielen Dank, dass Sie teilnehmen wollten.
survey-closed-title = Diese Umfrage ist geschlossen
survey-closed-body = Diese Umfrage nimmt keine Antworten mehr an; was Sie hier senden, wird daher nicht gespeichert. Vielen Dank, dass Sie teilnehmen wollten.
link-expired-title = Dieser Link ist abgelaufen
link-expired-body = Dieser persönliche Umfragelink ist nicht mehr gültig; was Sie hier senden, wird daher nicht gespeichert. Wenn Sie trotzdem antworten möchten, wenden Sie sich bitte an den Absender des Links und bitten Sie um einen neuen.
not-found-title = Umfrage nicht gefunden
not-found-heading = Dieser Link führt zu keiner Umfrage
not-found-body = Die Umfrage ist vielleicht beendet, oder der Link ist unvollständig. Bitte prüfen Sie, ob Sie den ganzen Link aus Ihrer Einladung kopiert haben.

## Unsubscribe and report pages

unsubscribe-title = Von Umfrage-Einladungen abmelden?
unsubscribe-text = { $email } erhält Umfrage-Einladungen von { $org }.
unsubscribe-button = Abmelden
unsubscribed-title = Abgemeldet
unsubscribed-text = { $email } erhält keine Umfrage-Einladungen von { $org } mehr.
opt-out-title = Benachrichtigungen und Berichte abbestellen?
opt-out-text = { $email } erhält E-Mails, wenn die Pulse-Umfrage von { $org } ihre Antwortschwellen erreicht, sowie ihre geplanten Berichte.
opt-out-button = Diese Benachrichtigungen abbestellen
opted-out-title = Benachrichtigungen abbestellt
opted-out-text = { $email } erhält keine Antwortbenachrichtigungen und geplanten Berichte für { $org } mehr.
unsubscribe-unknown-project = dieses Projekt
report-in-progress-title = Bericht wird erstellt
report-in-progress-body = Dieser Bericht wird noch erstellt. Versuchen Sie es in einer Minute erneut.

## Sections

section-communication = Kommunikation
section-action = Unsere Maßnahmen
section-confidence = Vertrauen
section-in-person = Persönliche Besuche vor Ort
section-metrics = Ihre Erfahrung insgesamt
section-customer-needs = Ihre Anforderungen
section-about-you = Über Sie
section-follow-up = Rückmeldung

## Questions and their options

question-comm-frequency = Wie oft möchten Sie von { $org } über die ergriffenen Maßnahmen informiert werden?
option-frequency-daily = Täglich
option-frequency-weekly = Wöchentlich
option-frequency-every-two-weeks = Alle zwei Wochen
option-frequency-monthly = Monatlich
option-frequency-when-something-changes = Nur wenn sich etwas ändert
question-comm-channels = Über welche Kanäle möchten Sie von { $org } hören?
option-channel-email = E-Mail
option-channel-website = Website
option-channel-social-media = Soziale Medien
option-channel-app = Mobile App
option-channel-sms = SMS
option-channel-phone = Telefonanruf
option-channel-in-person = Persönlich
question-comm-met = Wie gut erfüllt die Kommunikation von { $org } über ihre Maßnahmen Ihre Erwartungen?
scale-expectations-min = Weit unter den Erwartungen
scale-expectations-max = Weit über den Erwartungen
question-action-satisfaction = Wie zufrieden sind Sie mit den Maßnahmen, die { $org } bisher ergriffen hat?
scale-satisfaction-min = Sehr unzufrieden
scale-satisfaction-max = Sehr zufrieden
question-action-relevance = Wie relevant sind die ergriffenen Maßnahmen für Sie?
scale-relevance-min = Überhaupt nicht relevant
scale-relevance-max = Äußerst relevant
question-action-timeliness = Wie rechtzeitig wurden die Maßnahmen ergriffen?
scale-timeliness-min = Viel zu spät
scale-timeliness-max = Genau rechtzeitig
question-confidence = Wie sicher sind Sie, dass { $org } Ihre sich ändernden Anforderungen auch weiterhin erfüllen kann?
scale-confidence-min = Überhaupt nicht sicher
scale-confidence-max = Vollkommen sicher
question-in-person-change = Wie oft besuchen Sie { $org } im Vergleich zu früher persönlich?
option-visits-more = Häufiger
option-visits-same = Etwa gleich oft
option-visits-less = Seltener
option-visits-stopped = Gar nicht mehr
option-visits-never = Ich war nie persönlich vor Ort
question-in-person-channels = Wo begegnen Sie uns üblicherweise persönlich?
question-in-person-preference = Wie möchten Sie in den kommenden Monaten am liebsten mit uns in Kontakt treten?
option-prefer-in-person = Persönlich, wie bisher
option-prefer-in-person-with-measures = Persönlich, mit Schutzmaßnahmen
option-prefer-online = Online oder per Lieferung
option-prefer-phone = Telefonisch
question-nps = Wie wahrscheinlich ist es, dass Sie { $org } einem Freund oder Kollegen empfehlen?
scale-nps-min = Überhaupt nicht wahrscheinlich
scale-nps-max = Äußerst wahrscheinlich
question-csat = Wie zufrieden sind Sie insgesamt mit { $org }?
question-ces = Wie einfach war es, von { $org } zu bekommen, was Sie brauchten?
scale-effort-min = Sehr schwierig
scale-effort-max = Sehr einfach
question-needs = Was könnte { $org } derzeit besser oder anders machen, um Sie zu unterstützen?
question-industry = In welcher Branche ist Ihr Unternehmen tätig?
question-size-revenue = Wie hoch ist der Jahresumsatz Ihres Unternehmens?
question-size-employees = Wie viele Mitarbeitende hat Ihr Unternehmen?
question-location = Wo wohnen Sie?
question-follow-up = Möchten Sie, dass sich jemand von { $org } wegen Ihrer Antworten bei Ihnen meldet?
option-follow-up-yes = Ja, bitte kontaktieren Sie mich
option-follow-up-no = Nein, danke
question-follow-up-contact = Wie erreichen wir Sie? (E-Mail-Adresse oder Telefonnummer)

## Default options a project may keep (the stored value is the English text)

industry-financial-services = Finanzdienstleistungen
industry-healthcare = Gesundheitswesen
industry-manufacturing = Industrie und Fertigung
industry-retail = Einzelhandel
industry-technology = Technologie
industry-telecommunications = Telekommunikation
industry-education = Bildung
industry-government = Öffentliche Verwaltung
industry-energy = Energie und Versorgung
industry-transport = Transport und Logistik
industry-professional-services = Beratung und freiberufliche Dienstleistungen
industry-other = Sonstige
size-revenue-under-1m = Weniger als 1 Mio. $
size-revenue-1m-10m = 1 Mio. $ – 10 Mio. $
size-revenue-10m-50m = 10 Mio. $ – 50 Mio. $
size-revenue-50m-250m = 50 Mio. $ – 250 Mio. $
size-revenue-250m-1b = 250 Mio. $ – 1 Mrd. $
size-revenue-over-1b = Mehr als 1 Mrd. $
size-employees-1-9 = 1–9
size-employees-10-49 = 10–49
size-employees-50-249 = 50–249
size-employees-250-999 = 250–999
size-employees-1000-4999 = 1.000–4.999
size-employees-5000-plus = 5.000 oder mehr
in-person-store = Geschäft
in-person-branch = Filiale
in-person-restaurant = Restaurant
in-person-event = Veranstaltung oder Veranstaltungsort

## US states (proper names; translated where the language has its own name)

us-state-alabama = Alabama
us-state-alaska = Alaska
us-state-arizona = Arizona
us-state-arkansas = Arkansas
us-state-california = Kalifornien
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

survey-step-of = Schritt { $n } von { $total }
survey-step-next = Weiter
survey-step-back = Zurück
survey-contact-hint = Wir verwenden sie nur, um Ihnen zu antworten.
survey-contact-notice = Sie möchten kontaktiert werden: Bitte sagen Sie uns unten, wie wir Sie erreichen.

## Website widget (the survey shown in a website's iframe)
embed-off-title = Diese Umfrage kann nicht auf anderen Websites angezeigt werden
embed-off-body = { $org } hat das Anzeigen dieser Umfrage in einer Website nicht aktiviert. Sie können sie auf ihrer eigenen Seite beantworten.
embed-off-link = Umfrage öffnen
embed-frame-title = { $org }: Kundenumfrage

## ---- emails, notifications, dashboard and reports (below this line) ----

## Benachrichtigungen über Antworten

mail-notification-subject = { $org }: { $reached ->
    [one] { $reached } Antwort erreicht
   *[other] { $reached } Antworten erreicht
}
mail-notification-headline = Ihre Pulse-Umfrage für { $org } hat { $reached ->
    [one] { $reached } Antwort
   *[other] { $reached } Antworten
} erreicht (insgesamt jetzt { $count }).
mail-notification-nps = { $score } (95-%-Intervall { $low } bis { $high }, aus { $answers ->
    [one] { $answers } Antwort
   *[other] { $answers } Antworten
})
mail-notification-no-nps = noch keine NPS-Antworten
mail-notification-current-nps = Aktueller NPS
mail-notification-see-report = Zum Bericht
mail-notification-why = Sie erhalten diese E-Mail als Empfänger der Benachrichtigungen dieses Projekts.
mail-notification-stop = Diese Benachrichtigungen abbestellen
mail-alert-subject = { $org }: { $metric }-Warnung für { $scope }
mail-alert-scope-all = alle Antworten
mail-alert-scope-segment = { $segment } = { $value }
mail-alert-below = { $metric } für { $scope } liegt bei { $value } (95 %: { $low } bis { $high }, n = { $n }), deutlich unter { $threshold }.
mail-alert-above = { $metric } für { $scope } liegt bei { $value } (95 %: { $low } bis { $high }, n = { $n }), deutlich über { $threshold }.
mail-alert-drop = { $metric } für { $scope } ist auf { $value } gefallen (n = { $n }), von { $baseline } im Vergleichszeitraum (n = { $base_n }); ein so großer Rückgang entsteht zufällig mit p = { $p }.
mail-alert-period = Zeitraum: { $from } – { $to }
mail-alert-day = Tag: { $day }
mail-alert-baseline = Vergleichszeitraum: { $from } – { $to }
mail-alert-rule = Warnregel: { $rule }
mail-alert-quiet = Für diese Regel und dieses Segment kommt keine neue Warnung, bis sich der Wert erholt hat.
mail-alert-see-report = Die Zahlen dieses Segments ansehen

## Geplante Berichte

mail-report-subject = { $org }: Pulse-Bericht { $from } – { $to }
mail-report-summary = { $responses ->
    [one] { $responses } Antwort
   *[other] { $responses } Antworten
}; NPS { $score } (95-%-Intervall { $low } bis { $high }).
mail-report-summary-no-nps = { $responses ->
    [one] { $responses } Antwort
   *[other] { $responses } Antworten
}; keine NPS-Antworten in diesem Zeitraum.
mail-report-open = Bericht öffnen
mail-report-why = Sie erhalten diese E-Mail, weil Sie die Berichte dieses Projekts abonniert haben.
mail-report-stop = Diese E-Mails abbestellen

## Abschnitte des Kundenberichts

mail-account-subject = { $org }: Kundenbericht für { $account }, { $from } – { $to }
mail-account-subject-churn = { $org }: Kundenbericht für { $account }, { $from } – { $to } (Abwanderungsrisiko)
mail-account-open = Abschnitt Ihres Kunden öffnen
mail-account-valid = (der Link ist { $days ->
    [one] { $days } Tag
   *[other] { $days } Tage
} gültig)
mail-account-why = Sie erhalten diese E-Mail als Mitglied des Teams dieses Kunden.

## Bitten um Rückmeldung

mail-followup-subject = Rückmeldung erbeten: { $name } ({ $org })
mail-followup-intro = { $name } möchte zu den Antworten in der Pulse-Umfrage von { $org } kontaktiert werden.
mail-followup-anonymous-person = Eine anonyme Person
mail-followup-anonymous = (anonym)
mail-followup-not-given = (nicht angegeben)
mail-followup-not-on-list = (anonyme Antwort: nicht auf einer Kontaktliste)
mail-followup-completed = Abgeschlossen
mail-followup-first-name = Vorname
mail-followup-last-name = Nachname
mail-followup-preferred-contact = Bevorzugte E-Mail oder Telefonnummer
mail-followup-list-email = E-Mail laut Kontaktliste
mail-followup-scale = { $value } (Skala { $min }–{ $max })
mail-followup-advice = Bitte melden Sie sich innerhalb von 48 Stunden: Eine schnelle, persönliche Antwort macht aus einem Anliegen Vertrauen.

## Umfrage-Einladungen (der Rahmen um die Nachricht des Projekts)

mail-invitation-from = Sie erhalten diese Umfrage-Einladung von { $org }.
mail-invitation-unsubscribe = Abmelden
mail-invitation-start = Zur Umfrage

## Bericht (Dashboard)

dashboard-page-title = { $org } — Pulse-Bericht { $from } – { $to }
dashboard-heading = { $org } — Pulse-Bericht
dashboard-subtitle-day = Bericht { $from } – { $to } · Verlauf nach Tag · erstellt { $generated }
dashboard-subtitle-week = Bericht { $from } – { $to } · Verlauf nach Woche · erstellt { $generated }
dashboard-subtitle-month = Bericht { $from } – { $to } · Verlauf nach Monat · erstellt { $generated }
dashboard-no-responses = Keine Antworten zwischen { $from } und { $to }.
dashboard-headline = Überblick
dashboard-nps-detail = { $promoters ->
    [one] { $promoters } Promotor
   *[other] { $promoters } Promotoren
} · { $passives ->
    [one] { $passives } Passiver
   *[other] { $passives } Passive
} · { $detractors } Kritiker
dashboard-no-answers = keine Antworten
dashboard-csat-detail = Anteil 4–5 auf 1–5
dashboard-ces-detail = mittlerer Aufwand auf 1–7 · { $easy } % leicht
dashboard-responses = Antworten
dashboard-in-this-period = in diesem Zeitraum
dashboard-response-rate = Antwortquote
dashboard-of-invitations = von { $count ->
    [one] { $count } Einladung
   *[other] { $count } Einladungen
}
dashboard-no-invitations = in diesem Zeitraum keine Einladungen versandt
dashboard-follow-ups = Bitten um Rückmeldung
dashboard-follow-ups-detail = Personen, die kontaktiert werden möchten
dashboard-up = ▲ { $delta } gegenüber dem Vorzeitraum
dashboard-down = ▼ { $delta } gegenüber dem Vorzeitraum
dashboard-same = = Vorzeitraum
dashboard-too-few = zu wenige Antworten (n = { $n })
dashboard-interval = 95 %: { $low } bis { $high }
dashboard-p-value = p = { $p } (Zwei-Stichproben-Test gegen den Vorzeitraum)
dashboard-no-clear-change = keine klare Veränderung zum Vorzeitraum
dashboard-no-earlier = keine früheren Daten
dashboard-trend = Verlauf
dashboard-chart-nps = NPS (−100 bis 100)
dashboard-chart-csat = CSAT (% zufrieden)
dashboard-chart-ces = CES (mittlerer Aufwand, 1–7)
dashboard-chart-responses = Antworten je Zeitraum
dashboard-no-data = keine Daten
date-long = { $day }. { $month ->
    [1] Januar
    [2] Februar
    [3] März
    [4] April
    [5] Mai
    [6] Juni
    [7] Juli
    [8] August
    [9] September
    [10] Oktober
    [11] November
   *[12] Dezember
} { $year }
date-short = { $day }.{ $month }.
date-month = { $month ->
    [1] Jan.
    [2] Feb.
    [3] März
    [4] Apr.
    [5] Mai
    [6] Juni
    [7] Juli
    [8] Aug.
    [9] Sept.
    [10] Okt.
    [11] Nov.
   *[12] Dez.
} { $year }
date-time = { $date }, { $hour }:{ $minute } Uhr ({ $zone })
dashboard-data-table = Die Zahlen als Tabelle
dashboard-period = Zeitraum
dashboard-low = 95 % von
dashboard-high = 95 % bis
dashboard-chart-share = Anteil am größten Wert
dashboard-filtered = Nur die Antworten mit { $segment }: { $value }
dashboard-via = { $scale } über die Bewertungszeile der E-Mail geöffnet ({ $scale_rate }) · { $button } über ihre Schaltfläche ({ $button_rate })
dashboard-distributions = Verteilung der Bewertungen
dashboard-areas = Bereiche
dashboard-area = Bereich
dashboard-area-score = Wert (0–100)
dashboard-answers = Antworten
dashboard-segments = Segmente
dashboard-value = Wert
dashboard-no-segment-values = keine Antworten mit einem Wert
dashboard-no-segments = Keine Segmente angefragt.
dashboard-small-sample = kleine Stichprobe (n < { $min })
dashboard-texts = Freitextantworten
dashboard-follow-up-flag = Rückmeldung erbeten
dashboard-no-texts = Keine Freitextantworten in diesem Zeitraum.
dashboard-more-texts = und { $count } weitere
dashboard-footer = { $now ->
    [one] { $now } Antwort
   *[other] { $now } Antworten
} in diesem Zeitraum · { $before } im Zeitraum davor · Zahlen aus den Aggregaten von Pulse

## Abschnitte des Kundenberichts (Seiten)

account-page-title = { $account } — Kundenbericht
account-subtitle = { $org } · Kundenbericht { $from } – { $to }
account-churn-risk = Abwanderungsrisiko
account-no-churn-risk = Kein Abwanderungsrisiko erkannt.
account-reason-detractors = { $share } % Kritiker (über { $limit } %)
account-reason-nps-fell = NPS um { $points ->
    [one] { $points } Punkt
   *[other] { $points } Punkte
} gegenüber dem Vorzeitraum gefallen
account-health-score = Gesundheitswert
account-nps-detail = (Vorzeitraum { $previous }; Trend { $trend })
account-response-rate = Antwortquote
account-detractor-share = Anteil der Kritiker
account-figures = Zahlen
account-responses = Antworten
account-with-sub-accounts = Dieser Kunde mit seinen Unterkunden
account-alone = Dieser Kunde allein
account-team = Kundenteam
account-rule = Gesundheitswert (0–100) = 50 % NPS auf 0–100 umgerechnet, 30 % CSAT, 20 % Antwortquote (das Gewicht fehlender Teile wird auf die übrigen verteilt), ab { $min } Antworten; Abwanderungsrisiko, wenn bei mindestens { $min } Antworten der Anteil der Kritiker über { $share } % liegt oder der NPS gegenüber dem Vorzeitraum um { $drop } Punkte oder mehr gefallen ist.
account-role-account-executive = Account Executive
account-role-account-owner = Kundenverantwortliche(r)
account-role-customer-success-manager = Customer Success Manager
account-role-technical-sales-professional = Technische(r) Vertriebsspezialist(in)
account-role-sales-engineer = Vertriebsingenieur(in)
account-role-customer-support-professional = Kundensupport
account-role-other-account-team-member = Weiteres Mitglied des Kundenteams
account-client-decision-maker = Entscheider
account-client-influencer = Einflussnehmer
account-client-procurement-finance-person = Einkauf oder Finanzen
account-client-program-manager = Programmleitung
account-client-executive-sponsor = Sponsor in der Geschäftsleitung
account-client-end-user = Endanwender
account-client-account-member = Mitarbeitende des Kunden

## The operators' console (render::keys::CONSOLE)
console-skip = Zum Inhalt springen
console-nav = Konsole
console-nav-projects = Projekte
console-nav-budgets = Budgets und Tarife
console-nav-users = Benutzer
console-language = Sprache
console-language-apply = Wechseln
console-sign-out = Abmelden
console-role-admin = Administration
console-role-editor = Bearbeitung
console-role-viewer = Nur lesen
console-role-none = Keine Rolle
console-sign-in-title = Bei Pulse anmelden
console-email = E-Mail-Adresse
console-password = Passwort
console-sign-in = Anmelden
console-forgot-link = Passwort vergessen?
console-signed-out = Sie haben sich abgemeldet.
console-session-expired = Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an; danach geht es zur gewünschten Seite weiter.
console-new-password-title = Wählen Sie Ihr Passwort
console-new-password-intro = Dies ist Ihre erste Anmeldung mit dem vorläufigen Passwort. Wählen Sie ein eigenes Passwort, um fortzufahren.
console-new-password = Neues Passwort
console-repeat-password = Neues Passwort wiederholen
console-password-policy = Mindestens 12 Zeichen mit Groß- und Kleinbuchstaben, einer Ziffer und einem Sonderzeichen.
console-set-password = Passwort festlegen
console-totp-title = Code aus Ihrer Authenticator-App eingeben
console-totp-code = Sechsstelliger Code
console-forgot-title = Passwort zurücksetzen
console-forgot-intro = Geben Sie Ihre E-Mail-Adresse ein; wir senden Ihnen einen Code, mit dem Sie ein neues Passwort festlegen.
console-forgot-send = Code senden
console-forgot-sent = Falls zu der Adresse ein Konto gehört, ist ein Code unterwegs. Geben Sie ihn unten mit Ihrem neuen Passwort ein.
console-forgot-code = Code aus der E-Mail
console-back-to-sign-in = Zurück zur Anmeldung
console-password-changed = Ihr Passwort wurde geändert. Melden Sie sich jetzt damit an.
console-err-credentials = E-Mail-Adresse oder Passwort ist falsch.
console-err-disabled = Dieses Konto ist deaktiviert. Wenden Sie sich an die Administration Ihres Teams.
console-err-weak-password = Das Passwort erfüllt die Regeln nicht: mindestens 12 Zeichen mit Groß- und Kleinbuchstaben, einer Ziffer und einem Sonderzeichen.
console-err-passwords-differ = Die beiden Passwörter stimmen nicht überein.
console-err-code = Der Code ist falsch. Bitte prüfen und erneut versuchen.
console-err-code-expired = Der Code ist abgelaufen. Fordern Sie einen neuen an.
console-err-too-many = Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.
console-err-reset-required = Ihr Passwort muss zuerst zurückgesetzt werden: Nutzen Sie „Passwort vergessen?“.
console-err-sign-in-expired = Die Anmeldung hat zu lange gedauert. Bitte beginnen Sie erneut.
console-err-unavailable = Die Anmeldung ist gerade nicht verfügbar. Versuchen Sie es gleich noch einmal.
console-err-csrf = Dieses Formular ist abgelaufen oder stammt nicht aus der Konsole. Gehen Sie zurück, laden Sie die Seite neu und senden Sie es erneut.
console-err-no-role = Ihrem Konto ist noch keine Rolle zugewiesen. Bitten Sie die Administration darum.
console-err-forbidden = Ihre Rolle erlaubt das nicht. Es wurde nichts geändert.
console-err-required = Bitte füllen Sie dieses Feld aus.
console-err-language-needed = Wählen Sie mindestens eine Sprache.
console-err-email = Geben Sie eine E-Mail-Adresse wie name@example.com ein.
console-forbidden-title = Nicht erlaubt
console-not-found-title = Seite nicht gefunden
console-problem-title = Etwas ist schiefgegangen
console-request-id = Anfrage-ID für Rückfragen: { $id }
console-projects-title = Pulse-Projekte
console-projects-caption = Jedes Projekt mit Status, Antworten und NPS.
console-new-project = Neues Projekt
console-no-projects = Noch keine Projekte.
console-col-project = Projekt
console-col-state = Status
console-col-responses = Antworten
console-col-role = Rolle
console-col-actions = Aktionen
console-kind-quick = Kurzer Check-in (etwa 2 Minuten)
console-kind-assessment = Ausführliche Bewertung (5–7 Minuten)
console-state-draft = Entwurf
console-state-published = Veröffentlicht, Version { $version }
console-wizard-title = Pulse-Projekt einrichten
console-wizard-errors = Bitte korrigieren Sie Folgendes:
console-field-kind = Art der Umfrage
console-field-kind-hint = Nach dem Anlegen nicht mehr änderbar.
console-field-org = Name der Organisation
console-field-business = Geschäftsart
console-field-languages = Sprachen der Umfrage
console-field-operational = Operative Datenfelder
console-field-operational-hint = Eines pro Zeile, genau wie die Spalte Ihrer Kontaktlisten geschrieben („Business Unit“ ist nicht „BusinessUnit“).
console-field-resource = Hilfeseite am Ende der Umfrage (optional)
console-save-draft = Als Entwurf speichern
console-saved-notice = Als Entwurf gespeichert. Sehen Sie sich die Vorschau an und veröffentlichen Sie, wenn alles passt.
console-published-notice = Als Version { $version } veröffentlicht. Befragte sehen jetzt diese Version.
console-revision = Entwurfsstand
console-preview-title = Vorschau
console-preview-open = Vorschau der Umfrage, wie Befragte sie sehen
console-preview-intro = Der Entwurf so, wie Befragte ihn nach dem Veröffentlichen sehen, auf dem Telefon und am Computer. Antworten hier werden nicht gespeichert.
console-preview-phone = Umfragevorschau in Telefonbreite
console-preview-desktop = Umfragevorschau in Computerbreite
console-publish = Veröffentlichen
console-publish-hint = Veröffentlichen macht den aktuellen Entwurf zur Version, die Befragte sehen; spätere Änderungen ergeben einen neuen Entwurf.
console-links-title = Umfrage-Links
console-anonymous-link = Anonymer Link (Webseite, Widget, QR-Code)
console-open-survey = Umfrage öffnen
console-qr-alt = QR-Code des anonymen Links
console-qr-download = QR-Code herunterladen (SVG)
console-link-after-publish = Die Links funktionieren, sobald das Projekt veröffentlicht ist.
console-budgets-title = Budgets und Tarife
console-no-accounts = Noch keine Konten: Projekte ohne Konto haben kein Budget.
console-plan = Tarif
console-month = Abrechnungsmonat
console-budget = Monatsbudget
console-used = Verbraucht
console-remaining = Verbleibend
console-refused = Diesen Monat abgelehnt
console-lifetime = Insgesamt verbraucht / Obergrenze
console-refuses-next = Was den nächsten Datensatz ablehnt
console-last-sync = Letzte Synchronisierung
console-last-accepted = Letzter angenommener Datensatz
console-change-plan = Tarif dieses Kontos
console-change-plan-button = Tarif ändern
console-users-title = Benutzer der Konsole
console-role-of = Rolle von { $email }
console-save = Speichern
console-user-enabled = Aktiv
console-user-disabled = Deaktiviert
console-disable = Deaktivieren
console-enable = Aktivieren
console-invite-title = Kollegin oder Kollegen einladen
console-invite-hint = Sie erhalten eine E-Mail mit einem vorläufigen Passwort.
console-invite = Einladen

## The console's guided setup (render::keys::CONSOLE_SETUP)
console-steps = Schritte der Einrichtung
console-step-of = Schritt { $step } von { $steps }
console-step-basics = Was das Projekt ist
console-step-questions = Fragen
console-step-wording = Formulierungen
console-step-after = Nach einer Antwort
console-step-account = Konto und Budget
console-step-logo = Logo hochladen
console-step-summary = Zusammenfassung
console-save-continue = Speichern und weiter
console-back = Zurück
console-edit = Ändern
console-business-b2b = B2B: Geschäftskunden
console-business-b2c = B2C: Privatkunden
console-field-default-language = Standardsprache
console-field-default-language-hint = Befragte, deren Sprache nicht angeboten wird, sehen diese. Sie muss oben gewählt sein.
console-err-default-language = Die Standardsprache muss eine der Umfragesprachen sein.
console-err-field = Bitte prüfen Sie dieses Feld: { $detail }
console-err-number = Geben Sie eine ganze Zahl ein, zum Beispiel 10.
console-err-logo-size = Das Logo ist größer als 1 MB. Wählen Sie eine kleinere Datei.
console-err-logo-type = Das Logo muss ein PNG-, JPEG- oder SVG-Bild sein.
console-one-per-line = Eines pro Zeile.
console-field-industries = Branchen als Antwortmöglichkeiten
console-field-size-measure = Unternehmensgröße gemessen nach
console-size-employees = Anzahl der Beschäftigten
console-size-revenue = Umsatz
console-field-size-bands = Größenklassen
console-field-size-bands-hint = Eine pro Zeile; mit den Vorgaben für das Maß vorbelegt, frei änderbar.
console-field-in-person = Verhalten vor Ort
console-field-in-person-yes = Fragen, wie sich Besuche ändern und wie Kunden vor Ort interagieren möchten
console-field-channels = Kanäle vor Ort
console-field-locations = Standorte zur Auswahl
console-field-locations-hint = Einer pro Zeile; leer gelassen werden die 50 US-Bundesstaaten angeboten.
console-field-demographics = Zusätzliche Fragen zur Person
console-field-demographics-hint = Eine pro Zeile: die Frage, dann ein Doppelpunkt und die Optionen durch Kommas getrennt („Altersgruppe: 18–34, 35–54, 55+“); ohne Optionen ist es eine Freitextantwort. Fragen Sie nicht, was die Kontaktliste schon liefert.
console-field-hidden = Optionale Fragen weglassen
console-field-hidden-hint = Angekreuzte Fragen werden nicht gestellt. Pflichtfragen (die Kennzahlen) werden immer gestellt.
console-wording-intro = Ändern Sie die Formulierung jeder Frage in jeder Sprache der Umfrage. Lassen Sie den Text unverändert, um die Standardformulierung zu behalten.
console-field-follow-ups = Rückmeldewünsche
console-field-follow-ups-hint = Befragte können um Kontakt bitten; bis zu zehn Kolleginnen und Kollegen erhalten dann eine E-Mail.
console-field-follow-ups-on = Befragten Kontakt anbieten
console-field-recipients = Empfänger
console-recipients-hint = E-Mail-Adressen, eine pro Zeile (1 bis 10).
console-field-notifications = Benachrichtigungen über Antworten
console-notify-off = Aus
console-notify-every = Alle N Antworten (bei N, 2N, 3N …)
console-notify-once = Einmal, wenn N Antworten erreicht sind
console-field-notify-n = N (Anzahl der Antworten)
console-field-reports = Geplanter Bericht
console-report-off = Kein geplanter Bericht
console-report-daily = Täglich
console-report-weekly = Wöchentlich (montags)
console-report-monthly = Monatlich
console-field-subscribers = Wer den Bericht erhält
console-account-intro = Das Konto, auf dessen Tarif und Monatsbudget die Einladungen und anonymen Antworten dieses Projekts angerechnet werden.
console-field-account = Konto
console-no-account = Kein Konto (ohne Budget)
console-field-logo = Logodatei
console-field-logo-hint = PNG, JPEG oder SVG, höchstens 1 MB. Es erscheint oben in der Umfrage.
console-logo-current = Aktuelles Logo
console-edit-setup = Einrichtung ändern

## The console's dashboard and responses (render::keys::CONSOLE_INSIGHTS)
console-project-nav = Projektbereiche
console-tab-overview = Übersicht
console-tab-dashboard = Auswertung
console-tab-responses = Antworten
console-dashboard-title = Auswertung für { $org }
console-dashboard-range = Zeitraum und Aufschlüsselung
console-period = Verlauf nach
console-period-day = Tag
console-period-week = Woche
console-period-month = Monat
console-from = Von (erster Tag)
console-to = Bis (letzter Tag)
console-segment = Aufschlüsseln nach
console-no-segment = Keine Aufschlüsselung
console-show = Anzeigen
console-downloads = Downloads und Freigabelinks
console-make-report-hint = Erstellt HTML, CSV und JSON für den gezeigten Zeitraum, mit einem 90 Tage gültigen Freigabelink.
console-make-report = Downloads erstellen
console-no-reports = Noch keine Berichte erstellt.
console-share-link = Neuer Freigabelink
console-share-shown-once = Freigabelink erstellt. Kopieren Sie ihn jetzt: Er wird nur dieses eine Mal angezeigt und öffnet den Bericht 90 Tage lang ohne Anmeldung.
console-refresh = Wird erstellt: neu laden
console-responses-title = Antworten an { $org }
console-filter = Filtern
console-channel = Link-Art
console-any = Alle
console-channel-personal = Persönlicher Link
console-channel-anonymous = Anonymer Link
console-band = NPS-Gruppe
console-band-promoters = Promotoren (9–10)
console-band-passives = Passive (7–8)
console-band-detractors = Kritiker (0–6)
console-follow-up-asked = Kontakt gewünscht
console-yes = Ja
console-no = Nein
console-segment-value = Segment auswählen
console-segment-value-hint = Ein Feld und sein Wert, etwa Region=Nord.
console-responses-count =
    { $count ->
        [one] Insgesamt eine Antwort.
        *[other] Insgesamt { $count } Antworten.
    }
console-export-csv = Diese Antworten exportieren (CSV)
console-responses-caption = Antworten, die dem Filter entsprechen, älteste zuerst.
console-submitted = Eingegangen
console-contact = Kontaktperson
console-next-page = Nächste Seite
console-response-title = Eine Antwort
console-version = Umfrageversion
console-answers = Antworten im Einzelnen

## The console's website widget (render::keys::CONSOLE_EMBED)
console-embed-title = Umfrage auf Websites
console-embed-intro = Websites, die Sie hier eintragen, dürfen die anonyme Umfrage in ihren Seiten zeigen. Antworten darüber werden wie die über den anonymen Link gespeichert und gezählt.
console-embed-origins = Websites, die die Umfrage zeigen dürfen
console-embed-origins-hint = Eine Adresse je Zeile, etwa https://www.example.com: nur https, ohne Pfad, ohne Platzhalter. Leer: keine Website darf sie zeigen.
console-embed-save = Websites speichern
console-embed-snippet = Code zum Einfügen in die Seite der Website
console-embed-off = Noch darf keine Website die Umfrage zeigen: tragen Sie zuerst unten ihre Adresse ein.

## The console's project page (render::keys::CONSOLE_PROJECT)
console-change-org = Der Name der Organisation
console-change-languages = Die Sprachen der Umfrage
console-change-resource = Der Link zur Hilfeseite
console-change-logo = Das Logo
console-change-added = Neu gefragt: { $question }
console-change-removed = Nicht mehr gefragt: { $question }
console-change-changed = Geändert: { $question }
console-unpublished-title = Noch nicht veröffentlichte Änderungen
console-unpublished-none = Keine Änderungen.
console-history-title = Veröffentlichte Versionen
console-history-version = Veröffentlichte Version { $version }
console-history-first = Die erste veröffentlichte Version.
console-minted = Der persönliche Link (nur an diese Person senden):
console-mint-title = Ein persönlicher Link für eine Kontaktperson
console-mint-hint = Für einen Link, den Sie selbst weitergeben; die Felder der Person werden der Antwort beigefügt und nicht erneut gefragt.
console-first-name = Vorname
console-last-name = Nachname
console-contact-language = Sprache der Kontaktperson
console-mint-button = Link erstellen
console-survey-open = Die Umfrage ist offen: Ihre Links nehmen Antworten an.
console-survey-closed = Die Umfrage ist seit { $at } (UTC) geschlossen: Ihre Links zeigen eine Seite, die das sagt, und nehmen keine Antworten an.
console-close-survey = Umfrage schließen
console-reopen-survey = Umfrage wieder öffnen
console-rotate-title = Anonymen Link ersetzen
console-rotate-hint = Der bisherige Link und sein QR-Code funktionieren sofort nicht mehr. Persönliche Links bleiben gültig.
console-rotate-button = Link ersetzen
console-rotated-notice = Der anonyme Link wurde ersetzt. Teilen Sie den neuen Link und QR-Code unten.
console-link-days = Tage, die ein persönlicher Link nach dem Erstellen gültig ist (1 bis 365)
console-link-days-save = Tage speichern
console-delete-title = Dieses Projekt löschen
console-delete-hint = Löscht das Projekt mit allen Antworten, Kontakten, Verteilerlisten, Versänden, Berichten und Dateien; alle seine Links funktionieren nicht mehr. Das kann nicht rückgängig gemacht werden.
console-delete-confirm = Geben Sie zur Bestätigung den Namen des Projekts ein: { $name }
console-delete-button = Projekt und alle seine Daten löschen
console-delete-mismatch = Der Name stimmt nicht mit dem Namen des Projekts überein; es wurde nichts gelöscht.
console-deleted-notice = Das Projekt wurde gelöscht. Seine Daten werden im Hintergrund entfernt.
console-shares = Freigabelinks
console-shares-title = Freigabelinks des Berichts { $from } – { $to }
console-shares-hint = Ein Link wird nur beim Erstellen angezeigt. Hier sehen Sie, wann jeder erstellt wurde und bis wann er gilt, und können ihn widerrufen.
console-shares-none = Dieser Bericht hat keine Freigabelinks.
console-col-label = Erstellt für
console-col-made = Erstellt (UTC)
console-col-expires = Gültig bis (UTC)
console-revoke = Widerrufen
console-revoked-notice = Der Link wurde widerrufen: Er öffnet nichts mehr.
console-delete-report = Diesen Bericht und seine Dateien löschen
console-report-deleted-notice = Der Bericht und seine Dateien wurden gelöscht; seine Freigabelinks öffnen nichts mehr.
console-tab-contacts = Kontakte
console-contacts-title = Kontakte von { $org }
console-lists-title = Verteilerlisten
console-no-lists = Noch keine Verteilerlisten: Jede hochgeladene Kontaktdatei legt eine an.
console-col-list = Liste
console-col-members = Kontakte
console-members-title = Mitglieder von { $list }
console-find-title = Kontakt nach Adresse suchen
console-find-button = Suchen
console-contact-not-found = Niemand mit dieser Adresse ist unter den Kontakten oder gesperrten Adressen des Projekts.
console-contact-title = Kontakt
console-not-suppressed = Nicht gesperrt: An diese Adresse werden Einladungen gesendet.
console-suppressed-state = Gesperrt ({ $reason }) seit { $at } (UTC): An diese Adresse werden keine Einladungen gesendet.
console-reason-manual = von Hand hinzugefügt
console-reason-unsubscribed = abgemeldet
console-reason-bounced = unzustellbar
console-reason-complained = als Spam gemeldet
console-reason-deleted = im CRM gelöscht
console-erase-title = Diese Person löschen (DSGVO)
console-erase-hint = Entfernt sofort den Kontakt, seine Listenmitgliedschaften und persönlichen Links, danach Namen, Adresse und Freitext aus allen Antworten und Berichten; die Bewertungen bleiben. Ist die Adresse gesperrt, bleibt die Sperre als Code erhalten, damit die Person nie wieder angeschrieben wird.
console-erase-confirm = Mir ist klar, dass dies nicht rückgängig gemacht werden kann.
console-erase-button = Person löschen
console-erase-unconfirmed = Setzen Sie zur Bestätigung das Häkchen; es wurde nichts gelöscht.
console-job-title = Löschung
console-job-running = Läuft noch (gerade: { $phase }). Die Verzeichniseinträge der Person sind bereits entfernt.
console-job-done = Abgeschlossen: Von der Person bleibt nur der Code einer Sperre.
console-job-removed = Was wo entfernt wurde
console-job-done-clean = Abgeschlossen: Von der Person ist nichts mehr übrig.
console-place-contact = Kontakt
console-place-list-memberships = Listenmitgliedschaften
console-place-links = Persönliche Umfragelinks
console-place-b2b-contacts = B2B-Kontaktdatensätze
console-place-invitations = Einladungsdatensätze
console-place-triggered = Ausgelöste Versände (Kontaktdaten geleert)
console-place-suppression = Sperre (als Code behalten, nie wieder angeschrieben)
console-place-responses = Antworten (Name, Adresse und Freitext entfernt; Bewertungen bleiben)
console-place-reports = Berichte ohne die Person neu erstellt
console-place-uploads = Kontaktdateien ohne die Person neu geschrieben
console-place-import-reports = Dateien abgelehnter Zeilen ohne die Person neu geschrieben
console-phase-responses = Antworten
console-phase-reports = gespeicherte Berichte
console-phase-files = Kontaktdateien
console-suppressions-title = Gesperrte Adressen
console-suppressions-none = Keine Adresse ist gesperrt.
console-col-address = Adresse
console-col-reason = Grund
console-col-since = Seit (UTC)
console-suppress-title = Adresse von Hand sperren
console-suppress-button = Sperren
console-lift = Aufheben
console-lift-hint = Nur von Hand hinzugefügte Sperren lassen sich aufheben: Abmeldungen, Unzustellbarkeit und Spam-Meldungen bleiben.
console-tab-sends = Einladungen
console-sends-title = Einladungen von { $org }
console-no-sends = Es wurden noch keine Einladungen versendet.
console-col-started = Begonnen (UTC)
console-col-sent = Gesendet
console-col-skipped = Übersprungen
console-col-failed = Fehlgeschlagen
console-send-title = Einladungen vom { $at } (UTC)
console-send-state = Stand: { $state }
console-dist-scheduled = geplant
console-dist-planning = in Vorbereitung
console-dist-sending = wird gesendet
console-dist-done = abgeschlossen
console-dist-cancelled = abgebrochen
console-dist-paused = angehalten
console-count-planned = Geplant
console-skip-suppressed = Übersprungen: Die Adresse ist gesperrt
console-skip-unsubscribed = Übersprungen: abgemeldet
console-skip-invalid = Übersprungen: keine E-Mail-Adresse
console-skip-quiet = Übersprungen: kürzlich eingeladen (Ruhezeit)
console-skip-budget = Übersprungen: Das Budget war aufgebraucht
console-skip-cancelled = Übersprungen: Der Versand wurde abgebrochen
console-skip-erased = Übersprungen: Die Person wurde gelöscht (DSGVO)
console-count-reminders = Erinnerungen gesendet
console-count-reminders-budget = Erinnerungen nicht gesendet: Das Budget war aufgebraucht
console-failed-refused = davon vom Mail-Dienst abgelehnt (Adresse oder Nachricht)
console-failed-unknown = davon Zustellung unbekannt (ein Lauf brach beim Senden ab; nicht erneut gesendet)
console-failed-no-message = davon keine Nachricht in einer Sprache für den Kontakt
console-count-responses = Antworten
console-response-share = { $n } ({ $percent } % der Gesendeten)
console-count-not-answered = Noch nicht geantwortet
console-reminder-due = Erinnerung fällig
console-cancel-send = Versand abbrechen
console-cancel-send-hint = Bereits gesendete Einladungen bleiben gesendet; die übrigen werden übersprungen.
console-recipients-title = Empfänger: wer sie bekam, wer nicht, und warum
console-show-state = Anzeigen
console-state-all = alle
console-col-outcome = Was geschah
console-outcome-sent = Gesendet
console-outcome-waiting = Wird gesendet
console-outcome-failed = Fehlgeschlagen: { $reason }
console-no-recipients = Niemand auf dieser Seite.
console-err-url = Geben Sie eine vollständige Adresse ein, die mit https:// beginnt, etwa https://example.com/hilfe.
console-err-emails = Eine der Zeilen ist keine E-Mail-Adresse. Geben Sie eine Adresse pro Zeile ein, etwa name@example.com.
console-col-last-day = Letzter Tag mit Antworten (letzte vier Wochen)

refused-title = Ihre Antworten wurden nicht angenommen
refused-body = Dieses Formular konnte nicht angenommen werden; es wurde nichts gespeichert. Bitte öffnen Sie die Umfrage erneut über ihren Link und antworten Sie dort.
resend-notice = Ihre Antworten sind unten erhalten. Bitte prüfen Sie sie und senden Sie das Formular erneut ab.
busy-notice = Gerade treffen sehr viele Antworten ein. Ihre Antworten sind unten erhalten; bitte senden Sie das Formular in einer Minute erneut ab.
busy-title = Gerade treffen sehr viele Antworten ein
busy-body = Noch wurde nichts gespeichert. Bitte gehen Sie zurück und senden Sie das Formular in einer Minute erneut ab: Ihre Antworten sind noch darin.
daily-cap-title = Diese Umfrage hat ihr heutiges Limit erreicht
daily-cap-body = Diese Umfrage nimmt heute keine weiteren Antworten an; Ihre Antworten wurden daher nicht gespeichert. Bitte versuchen Sie es morgen erneut.
survey-honeypot = Dieses Feld bitte leer lassen

console-reserve = Jeden Monat für Einladungen reserviert
console-link-share = Antworten über Links: verbraucht von dem, was sie nutzen dürfen
console-set-reserve = Jeden Monat für Einladungen reservierte Datensätze
console-set-reserve-button = Reservieren

console-uploads-link = Kontakte hochladen
console-uploads-title = Kontaktdateien von { $org }
console-upload-new = Datei hochladen
console-upload-kind = Inhalt der Datei
console-file-contacts = Kontakte für eine Verteilerliste
console-file-accounts = B2B-Accounts
console-file-b2b-contacts = Kontakte der B2B-Accounts
console-file-team = Mitglieder der Account-Teams
console-upload-list-name = Name der Verteilerliste
console-upload-list-hint = Leer lassen, um sie nach dem heutigen Datum zu benennen.
console-upload-next = Weiter zur Dateiauswahl
console-columns-title = Spalten, die die Datei braucht
console-columns-hint = Die erste Zeile nennt die Spalten genau wie aufgeführt (Groß- und Kleinschreibung, Leer- und Satzzeichen zählen). CSV oder TSV, UTF-8, bis 100 MB. Andere Spalten werden mit einem Hinweis übergangen.
console-col-column = Spalte
console-col-needed = Erforderlich
console-col-in-pulse = Wird in Pulse zu
console-mapping-title = So werden die Spalten der Datei gelesen (Spaltenzuordnung des Projekts)
console-field-account-id = Account-ID (aus Ihrem CRM)
console-field-contact-id = Kontakt-ID (aus Ihrem CRM)
console-field-account-name = Name des Accounts
console-field-parent = Übergeordneter Account (die Hierarchie)
console-field-deleted = Im CRM gelöscht (true: aus Pulse entfernt)
console-field-first-name = Vorname
console-field-last-name = Nachname
console-field-email = E-Mail-Adresse
console-field-title = Position (ergibt die Kundenrolle)
console-field-account-of = Account des Kontakts oder Mitglieds
console-field-team-member = E-Mail-Adresse des Teammitglieds
console-field-team-role = Rolle im Team
console-field-attribute = Account-Attribut „{ $name }“
console-required = Pflicht
console-optional = freiwillig
console-sample = Beispieldatei herunterladen
console-upload-choose = Die Datei (CSV oder TSV)
console-upload-button = Hochladen
console-upload-progress = Fortschritt des Uploads
console-upload-broken = Der Upload wurde nicht abgeschlossen. Prüfen Sie die Verbindung und laden Sie die Datei erneut hoch.
console-import-title = Import von { $list }
console-import-waiting = Warten auf die Datei
console-import-validating = Jede Zeile wird geprüft …
console-import-saving = Kontakte werden gespeichert …
console-import-running = Kontakte werden gespeichert: { $written } von { $total }
console-import-checked = Jede Zeile wird geprüft: { $rows } bisher geprüft
console-import-done = Import abgeschlossen
console-import-failed = Die Datei wurde nicht importiert; nichts wurde gespeichert.
console-import-progress = Fortschritt des Imports
console-import-refresh = Aktualisieren
console-count-rows = Gelesene Zeilen
console-count-accepted = Übernommen
console-count-rejected = Abgelehnt
console-count-merged = Zusammengeführte Duplikate
console-count-suppressed = Gesperrt (gespeichert, nie angeschrieben)
console-count-contacts = Kontakte auf der Liste
console-show-list = Liste anzeigen
console-warnings-title = Hinweise
console-warn-unused = Die Spalte „{ $column }“ wird nicht verwendet; ihre Werte wurden nicht gespeichert.
console-rejections-title = Erste abgelehnte Zeilen
console-col-line = Zeile
console-rejected-file = Alle abgelehnten Zeilen mit Grund herunterladen (CSV)
console-header-near = Die Spalte „{ $found }“ sieht aus wie „{ $column }“. Benennen Sie sie genau in „{ $column }“ um (Groß- und Kleinschreibung, Leer- und Satzzeichen zählen) und laden Sie die Datei erneut hoch.
console-header-missing = Der Datei fehlt die Spalte „{ $column }“. Ergänzen Sie sie in der ersten Zeile und laden Sie die Datei erneut hoch.
console-file-xlsx = Dies ist eine Excel-Arbeitsmappe (.xlsx), keine CSV-Datei. Wählen Sie in Excel Datei › Speichern unter und den Dateityp „CSV UTF-8 (durch Trennzeichen getrennt) (*.csv)“ und laden Sie diese Datei hoch.
console-file-xls = Dies ist eine Excel-97–2003-Arbeitsmappe (.xls), keine CSV-Datei. Wählen Sie in Excel Datei › Speichern unter und den Dateityp „CSV UTF-8 (durch Trennzeichen getrennt) (*.csv)“ und laden Sie diese Datei hoch.
console-file-ods = Dies ist eine LibreOffice-Tabelle (.ods), keine CSV-Datei. Wählen Sie in LibreOffice Datei › Speichern unter, den Dateityp „Text CSV (.csv)“ und den Zeichensatz „Unicode (UTF-8)“ und laden Sie diese Datei hoch.
console-file-numbers = Dies ist ein Numbers-Dokument, keine CSV-Datei. Wählen Sie in Numbers Ablage › Exportieren › CSV und die Textkodierung „Unicode (UTF-8)“ und laden Sie diese Datei hoch.
console-file-zip = Dies ist ein ZIP-Archiv, keine CSV-Datei. Entpacken Sie es und laden Sie die CSV-Datei darin hoch.
console-file-pdf = Dies ist ein PDF-Dokument, keine Kontaktliste im CSV-Format. Exportieren Sie die Liste aus dem Programm, in dem sie liegt, als „CSV UTF-8“ und laden Sie diese Datei hoch.
console-file-image = Dies ist ein Bild, keine Kontaktliste im CSV-Format. Exportieren Sie die Liste aus dem Programm, in dem sie liegt, als „CSV UTF-8“ und laden Sie diese Datei hoch.
console-file-binary = Dies ist keine Textdatei (sie enthält Binärdaten ab Byte { $at }). Speichern Sie die Liste als „CSV UTF-8“ und laden Sie diese Datei hoch.
console-file-mixed = Ab Zeile { $line } ist die Datei anders kodiert als davor: Sie mischt Zeichenkodierungen. Speichern Sie sie erneut als „CSV UTF-8“ (Excel: „CSV UTF-8 (durch Trennzeichen getrennt)“; LibreOffice: Text CSV mit dem Zeichensatz „Unicode (UTF-8)“) und laden Sie sie erneut hoch.
console-file-too-large = Die Datei ist { $size } MB groß; Kontaktdateien dürfen höchstens { $limit } MB groß sein. Teilen Sie sie in kleinere Dateien auf und laden Sie diese einzeln hoch.
console-upload-too-large = Diese Datei ist größer als { $limit } MB, die Höchstgröße einer Kontaktdatei. Teilen Sie sie in kleinere Dateien auf und laden Sie diese einzeln hoch.
console-upload-again = Weitere Datei hochladen
console-upload-replaced = Am { $at } wurde eine andere Datei in diesen Upload geschrieben. Sie wurde nicht importiert: Ein Upload nimmt eine Datei auf, und diese Seite zeigt die erste Datei. Um die andere Datei zu importieren, laden Sie sie erneut hoch.
console-imports-title = Frühere Uploads
console-upload-received = Die Datei ist angekommen. Der Import wird geöffnet …
console-continue = Weiter

console-compose-link = Eine Liste einladen …
console-compose-title = Eine Liste zur Umfrage von { $org } einladen
console-no-ready-lists = Noch ist keine Verteilerliste bereit zum Einladen.
console-compose-list = Verteilerliste
console-list-option = { $name } ({ $count ->
        [one] 1 Kontakt
       *[other] { $count } Kontakte
    })
console-placeholders = Platzhalter, für jeden Kontakt ausgefüllt (mit aktiviertem Skript setzt ein Klick ihn an die Cursorposition):
console-message-in = Einladung auf { $language }
console-reminder-in = Erinnerung auf { $language }
console-subject = Betreff
console-body = Nachrichtentext
console-body-hint = Eine Leerzeile beginnt einen neuen Absatz. Der Umfragelink muss enthalten bleiben.
console-when = Wann senden
console-send-now = Jetzt
console-send-at = Zu einem festen Zeitpunkt
console-send-at-time = Datum und Uhrzeit ({ $tz })
console-err-list-empty = Diese Liste enthält keine Kontakte; niemand würde eingeladen. Wählen Sie eine andere Liste oder laden Sie zuerst eine Datei mit Kontakten hoch.
console-err-message-missing = Die Einladung auf { $language } fehlt. Schreiben Sie Betreff und Text: Kontakte, die { $language } sprechen, lesen diese Fassung.
console-err-reminder-missing = Die Erinnerung auf { $language } fehlt. Schreiben Sie Betreff und Text oder schalten Sie die Erinnerung aus.
console-err-send-at-past = Dieser Zeitpunkt ist bereits vorbei ({ $tz }). Wählen Sie einen späteren Zeitpunkt oder senden Sie jetzt.
console-quiet-info = Kontakte, die innerhalb so vieler Tage von einem anderen Versand dieses Projekts eingeladen wurden, werden übersprungen. Die Ruhezeit des Projekts beträgt { $days } Tage; 0 überspringt niemanden.
console-quiet-days = Ruhezeit (Tage)
console-err-quiet-days = Die Ruhezeit kann höchstens 365 Tage betragen.
console-reminder-title = Erinnerung
console-reminder-on = Eine Erinnerung an alle senden, die nicht geantwortet haben
console-reminder-days = Tage nach der Einladung (1 bis 60)
console-test-to = Einen Test jeder Sprache senden an
console-test-button = Test senden
console-test-sent = { $count } Test-E-Mails sind unterwegs.
console-check-button = Prüfen, was geschehen wird
console-send-button = Einladungen senden
console-forecast-title = Was geschehen wird
console-forecast-contacts = Kontakte auf der Liste
console-forecast-send = Erhalten eine Einladung
console-forecast-estimated = Die Übersprungenen sind aus den ersten { $checked } Kontakten der Liste geschätzt.
console-budget-use = Das verbraucht { $uses } des Budgets: { $used } von { $budget } sind diesen Monat verbraucht, { $remaining } bleiben.
console-preview-for = Die E-Mails, wie { $name } sie erhält
console-preview-frame = Die Einladung auf { $language }
console-default-subject = Wie machen wir es? Eine Minute für { $org }
console-default-reminder-subject = Eine Erinnerung: Ihre Meinung zu { $org }
console-default-greeting = Hallo { $first },
console-default-ask = wie wahrscheinlich ist es, dass Sie { $org } einem Freund oder Kollegen empfehlen? Die Antwort dauert etwa eine Minute:
console-default-reminder-ask = vor einigen Tagen haben wir Sie nach Ihrer Meinung zu { $org } gefragt. Wenn Sie eine Minute haben, hilft sie uns noch immer sehr:
console-default-thanks = Vielen Dank!
console-default-opt-out = Keine Umfragen mehr von uns:

console-tab-accounts = B2B-Accounts
console-accounts-title = B2B-Accounts von { $org }
console-accounts-caption = Accounts und ihre Unter-Accounts, { $from } bis { $to } (Werte mit Unter-Accounts)
console-col-account = Account
console-col-trend = NPS-Veränderung
console-col-churn = Abwanderungsrisiko
console-no-b2b-accounts = Noch keine B2B-Accounts. Laden Sie die Accounts, ihre Kontakte und die Account-Teams hoch, um sie hier zu sehen.
console-deleted-accounts = { $count } gelöschte Accounts bleiben für ihre Historie erhalten und werden nicht berichtet.
console-send-sections-hint = Das Team jedes Accounts erhält eine E-Mail mit einem Link zur Seite seines Accounts über die letzten 28 Tage (einmal je Bericht: ein zweiter Klick sendet nichts erneut).
console-send-sections = Jedem Team den Bericht seines Accounts senden
console-sections-sent = { $sections } Account-Seiten erstellt. Jetzt benachrichtigte Teammitglieder: { $emailed }.
console-range = Zeitraum
console-trigger-title = Oder automatisch nach einem Ereignis senden (ausgelöster Versand)
console-trigger-hint = Jedes Mal, wenn Ihre Systeme das Ereignis für einen Kontakt melden (POST /admin/projects/…/events), geht diese Einladung die angegebene Zahl von Tagen später an den Kontakt. Liste und Sendezeit oben werden dafür nicht verwendet.
console-trigger-event = Ereignis
console-trigger-event-hint = Kleinbuchstaben, Ziffern und _, etwa order_placed oder support_ticket_closed.
console-trigger-days = Tage nach dem Ereignis
console-trigger-save = Als ausgelösten Versand dieses Ereignisses speichern
console-trigger-saved = Gespeichert: Jedes Ereignis { $event } plant jetzt diese Einladung ein.
console-triggers-title = Ausgelöste Versände dieses Projekts
console-trigger-remove = Entfernen
console-contact-invitations = Einladungen
console-contact-no-invitations = Kein Versand hat diesen Kontakt eingeladen.
console-contact-responses = Antworten über die persönlichen Links
console-contact-no-responses = Noch keine Antwort.
console-contact-answered = Beantwortet am { $at }
console-col-source = Herkunft
console-list-ready = bereit
console-list-importing = wird importiert
console-list-from-upload = Upload und Import
console-account-contacts = Kontakte dieses Accounts
console-account-no-contacts = Zu diesem Account sind keine Kontakte importiert.
console-col-name = Name des Kontakts
console-col-title = Position
console-col-client-role = Rolle beim Kunden

## the automated B2B sync (drop folder)
console-sync-link = Automatischer Abgleich
console-sync-title = Automatischer B2B-Abgleich — { $org }
console-sync-intro = Dateien im Ablageordner des Projekts werden wie die drei Uploads importiert, mit derselben Spaltenzuordnung: zuerst Accounts, dann Kontakte, dann Teammitglieder. Ein Lauf beginnt, sobald alle drei Dateien da sind, oder zur geplanten Zeit mit den vorhandenen Dateien. Dieselben Dateien noch einmal ändern nichts.
console-sync-folder = Ablageordner
console-sync-folder-hint = Eine Datei pro Ordner (.csv, .tsv oder .txt): accounts, contacts und team. Ein Lauf entfernt die Dateien, die er importiert hat.
console-sync-copy-hint = Zum Beispiel mit der AWS-Befehlszeile:
console-sync-settings = Einstellungen
console-sync-not-set = Für dieses Projekt ist noch kein Abgleich eingerichtet: Speichern Sie die Einstellungen, um ihn zu starten.
console-sync-schedule = Wann er läuft
console-sync-schedule-none = Nur wenn alle drei Dateien da sind
console-sync-schedule-hourly = Auch jede Stunde, mit den vorhandenen Dateien
console-sync-schedule-daily = Auch täglich zur unten angegebenen Uhrzeit, mit den vorhandenen Dateien
console-sync-at = Uhrzeit (HH:MM, { $tz })
console-sync-from = Erster Tag (optional)
console-sync-new-list = Die neuen Kontakte jedes Laufs in eine neue Verteilerliste aufnehmen
console-sync-distribute = Die automatische Einladung an die neuen Kontakte jedes Laufs senden
console-sync-enabled = Der Abgleich ist eingeschaltet
console-sync-save = Abgleich speichern
console-sync-saved = Der Abgleich ist gespeichert.
console-sync-runs = Läufe
console-sync-no-runs = Noch kein Lauf.
console-sync-col-started = Begonnen
console-sync-col-state = Status
console-sync-col-files = Dateien
console-sync-col-result = Ergebnis
console-sync-trigger-drop = als die Dateien ankamen
console-sync-trigger-schedule = nach Zeitplan
console-sync-state-running = Läuft
console-sync-state-done = Fertig
console-sync-state-partial = Teilweise importiert
console-sync-state-failed = Fehlgeschlagen
console-sync-file-counts = { $accepted } Zeilen importiert, { $rejected } abgelehnt
console-sync-rejection = Zeile { $line }, { $column }: { $reason }
console-sync-new-contacts = Neue Kontakte: { $count }
console-sync-distribution = Einladungen an die neuen Kontakte gestartet
console-sync-ignored = Nicht berücksichtigt: { $key }: { $reason }

console-sftp-link = SFTP-Zugang
console-sftp-title = SFTP-Zugang — { $org }
console-sftp-intro = Partner und Datenstrecken können die drei Dateien stattdessen per SFTP ablegen: Sie landen im Ablageordner dieses Projekts und werden wie abgelegte Dateien importiert.
console-sftp-off = Dieser Stack hat keinen SFTP-Endpunkt. Eine Administratorin schaltet ihn ein, indem sie den Stack mit SftpEndpoint=true bereitstellt; er kostet etwa 0,30 USD pro Stunde, solange es ihn gibt.
console-sftp-host = Host
console-sftp-user = Benutzername
console-sftp-how = Melden Sie sich mit dem privaten Schlüssel zu einem der Schlüssel unten an und legen Sie jede Datei in ihren Ordner:
console-sftp-keys = SSH-Schlüssel
console-sftp-no-keys = Noch kein Schlüssel: Niemand kann sich anmelden.
console-sftp-col-type = Typ
console-sftp-col-fingerprint = Fingerabdruck
console-sftp-col-added = Hinzugefügt
console-sftp-remove = Entfernen
console-sftp-remove-key = Den Schlüssel { $fingerprint } entfernen
console-sftp-add = Schlüssel hinzufügen
console-sftp-public-key = Öffentlicher Schlüssel
console-sftp-public-key-hint = Eine Zeile aus der .pub-Datei, zum Beispiel ssh-ed25519 AAAA… name@laptop (ssh-keygen -t ed25519 erzeugt ein Schlüsselpaar).
console-sftp-add-button = Schlüssel hinzufügen
console-sftp-added = Der Schlüssel ist hinzugefügt: Wer ihn hat, kann sich jetzt anmelden.
console-sftp-removed = Der Schlüssel ist entfernt: Mit ihm meldet sich niemand mehr an.
console-sftp-err-empty = Fügen Sie einen öffentlichen Schlüssel ein.
console-sftp-err-private = Das ist ein privater Schlüssel: Fügen Sie stattdessen den öffentlichen Schlüssel ein (die .pub-Datei) und behalten Sie den privaten für sich.
console-sftp-err-type = Unbekannter Schlüsseltyp { $type }: Verwenden Sie ssh-ed25519, ssh-rsa oder ecdsa-sha2-nistp256/384/521.
console-sftp-err-body = Der Schlüssel ist beschädigt (wurde er abgeschnitten oder auf mehrere Zeilen umbrochen?).
console-sftp-err-weak = Ein RSA-Schlüssel braucht mindestens 2048 Bit; dieser hat { $bits }. Erzeugen Sie einen neuen mit ssh-keygen -t ed25519.
console-sftp-err-exists = Dieser Schlüssel ist bereits hinzugefügt.
console-sync-source = Quelle
console-sync-source-drop = Ablageordner (Dateien)
console-sync-source-salesforce = Salesforce
console-sync-sf-intro = Jeder Lauf liest Account, Contact und AccountTeamMember aus der Organisation, nur die seit dem letzten erfolgreichen Lauf geänderten Zeilen (auch gelöschte), und lädt sie wie die drei Dateien. Ein fehlgeschlagener Lauf lädt nichts und lässt die bisherigen Daten unverändert.
console-sync-sf-url = Salesforce-Adresse (https://…my.salesforce.com)
console-sync-sf-flow = Wie sich die verbundene App anmeldet
console-sync-sf-client-credentials = Client Credentials (Consumer Key und Consumer Secret)
console-sync-sf-jwt = JWT Bearer (privater Schlüssel des Zertifikats)
console-sync-sf-username = Salesforce-Benutzername (nur JWT Bearer)
console-sync-secret = Geheimnis der verbundenen App
console-sync-secret-set = Hinterlegt, zuletzt geändert { $at }.
console-sync-secret-not-set = Noch nicht hinterlegt: Der Abgleich kann sich nicht bei Salesforce anmelden.
console-sync-secret-hint = Nur in AWS Secrets Manager gespeichert und nie wieder angezeigt; ein neues ersetzt es.
console-sync-client-id = Consumer Key (Verbraucherschlüssel)
console-sync-client-secret = Consumer Secret (Client Credentials)
console-sync-private-key = Privater Schlüssel im PEM-Format (JWT Bearer)
console-sync-secret-save = Geheimnis speichern
console-sync-secret-saved = Das Geheimnis ist gespeichert.
console-sync-run-now = Jetzt ausführen
console-sync-queued = Der Lauf ist eingereiht; laden Sie die Seite neu, um ihn unten zu sehen.
console-sync-trigger-manual = von Hand gestartet
console-sync-since = Änderungen seit { $since }
console-sync-object-counts = { $object }: { $records } Datensätze ({ $deleted } gelöscht) auf { $pages } Seiten

## The console's help and status section (render::keys::CONSOLE_HELP)
console-nav-help = Hilfe und Status
console-help-pages = Seiten zu Hilfe und Status
console-help-checklist = Checkliste für den ersten Pulse
console-help-checklist-intro = Jeder Schritt hakt sich selbst ab, sobald der Stack ihn als erledigt zeigt: Hier wird nichts von Hand abgehakt.
console-help-progress = { $done } von { $total } Schritten erledigt
console-help-status = Status des Stacks
console-help-data = Daten und Sicherheit dieser Installation
console-help-bundle = Support-Paket
console-help-bundle-intro = Eine Datei für einen Fehlerbericht: die Versionen, die Konfiguration ohne ihre Geheimnisse (die zurückgehaltenen Namen sind aufgeführt), die Statusprüfungen und die letzten Fehler mit ihren Request-IDs. Sie enthält keine Adressen.
console-help-bundle-download = Support-Paket herunterladen (JSON)
console-help-bundle-admins = Nur Administratoren können das Support-Paket herunterladen.
console-step-done = Erledigt
console-step-open = Noch nicht
console-step-unknown = Unbekannt: SES hat nicht geantwortet
console-step-sender = Die Absenderadresse ist in SES bestätigt
console-step-sender-next = Bestätigen Sie { $sender } (oder die Domain) in SES: Die Statusseite erklärt, wie.
console-step-sandbox = SES ist nicht mehr in der Sandbox
console-step-sandbox-next = Beantragen Sie bei AWS den Produktionszugang (SES-Konsole, Konto-Dashboard); bis dahin erhalten nur bestätigte Adressen Einladungen.
console-step-project = Ein erstes Projekt ist angelegt
console-step-project-next = Legen Sie mit der geführten Einrichtung ein Projekt an.
console-step-upload = Ein erster Kontakt-Upload ist abgeschlossen
console-step-upload-next = Laden Sie eine Kontaktliste in ein Projekt hoch.
console-step-send = Ein erster Versand ist erfolgt
console-step-send-next = Verfassen Sie Einladungen an eine Liste und versenden Sie sie.
console-step-report = Ein erster Bericht wurde erstellt
console-step-report-next = Erstellen Sie einen Bericht im Dashboard des Projekts.
console-status-resources = Tabellen, Bucket und Warteschlangen
console-status-col-resource = Ressource
console-res-core-table = Haupttabelle (Projekte, Links, Versände, Budgets)
console-res-contacts-table = Kontakttabelle
console-res-responses-table = Antworttabelle
console-res-data-bucket = Daten-Bucket (Dateien und Berichte)
console-res-send-queue = Versand-Warteschlange
console-res-import-queue = Import-Warteschlange
console-res-report-queue = Berichts-Warteschlange
console-status-col-name = Bezeichnung
console-status-col-state = Zustand
console-status-answers = Antwortet
console-status-silent = Antwortet nicht
console-status-all-ok = Alle Tabellen, der Bucket und alle Warteschlangen antworten.
console-status-not-all-ok = { $count ->
        [one] Eine Ressource antwortet nicht: siehe unten.
       *[other] { $count } Ressourcen antworten nicht: siehe unten.
    }
console-status-dead-letters = Dead-Letter-Warteschlangen
console-status-dead-intro = Eine Nachricht hier ist Arbeit, die nach allen Wiederholungen fehlschlug: Lesen Sie sie, beheben Sie die Ursache anhand der Logs der Funktion und stellen Sie sie dann wieder in ihre Warteschlange.
console-status-col-waiting = Wartende Nachrichten
console-status-unreadable = Nicht lesbar
console-status-ses = E-Mail (SES)
console-status-sender = Absender
console-status-verified = bestätigt
console-status-not-verified = nicht bestätigt: SES lehnt jede E-Mail von dieser Adresse ab. Bestätigen Sie sie mit aws sesv2 create-email-identity --email-identity { $sender } und öffnen Sie den Link, den SES sendet, oder bestätigen Sie die Domain.
console-status-sandbox = Sandbox-Modus
console-status-in-sandbox = In der Sandbox: Nur bestätigte Adressen erhalten E-Mails, höchstens 200 am Tag. Beantragen Sie den Produktionszugang in der SES-Konsole (Konto-Dashboard).
console-status-out-of-sandbox = Nicht in der Sandbox: Jede Adresse kann eingeladen werden
console-status-paused = Der Versand ist für dieses AWS-Konto pausiert: SES sendet nichts, bis er fortgesetzt wird.
console-status-quota = Sendekontingent
console-status-quota-value = { $day } E-Mails am Tag, { $rate } pro Sekunde; { $sent } in den letzten 24 Stunden gesendet
console-status-rate = Eingestellte Senderate
console-status-rate-value = { $rate } E-Mails pro Sekunde (SesSendRate)
console-status-rate-too-high = Die eingestellte Rate von { $configured } pro Sekunde liegt über den { $quota } pro Sekunde von SES: SES wird drosseln. Installieren Sie mit SesSendRate höchstens { $quota } oder beantragen Sie bei AWS ein höheres Kontingent.
console-status-ses-unreadable = Das SES-Konto konnte nicht gelesen werden: Sandbox und Kontingent sind unbekannt.
console-status-schedules = Zeitpläne
console-status-no-schedules = Der Stack nennt keine Zeitpläne.
console-status-col-rule = Regel
console-status-col-when = Wann
console-status-enabled = Aktiv
console-status-disabled = Inaktiv: löst nicht von selbst aus
console-status-version = Versionsnummer
console-status-build = Build-Kennung
console-status-no-build = beim Bauen nicht festgehalten
console-data-intro = Erstellt aus der Vorlage, aus der diese Installation entstand, und den Einstellungen, mit denen sie läuft: Es ändert sich mit ihnen.
console-data-section-stores = Wo personenbezogene Daten gespeichert sind
console-data-section-queues = Warteschlangen
console-data-section-logs = Protokolle
console-data-section-links = Links und Sitzungen
console-data-col-store = Warteschlange
console-data-col-what = Personenbezogene Daten
console-data-col-kept = Aufbewahrung
console-data-col-encrypted = Verschlüsselung
console-data-col-reach = Wer darauf zugreifen kann
console-data-what-core = Projekte und ihre Umfragen, Links (als verschlüsselte Hashes), Versände und das Ergebnis jeder Einladung, Berichtstexte, die festgehaltenen Fehler der Konsole (ohne Adressen). Ein persönlicher Link nennt seinen Kontakt.
console-data-what-contacts = Kontakte: E-Mail-Adresse, Name, Sprache und die Spalten der hochgeladenen Datei; Listenmitgliedschaften; Sperren (nach einer Löschung als Hash).
console-data-what-responses = Antworten: Bewertungen, Freitextantworten und die Kontaktdaten der Person, wenn die Umfrage persönlich war.
console-data-what-bucket = Hochgeladene Kontaktdateien und ihre abgelehnten Zeilen, Dateien eines B2B-Ablageordners, aus Salesforce abgerufene Zeilen, Logos und erstellte Berichte.
console-data-what-queue = Laufende Arbeit (Einladungspakete, Fortsetzungen von Importen, Berichts- und Löschaufträge): Eine Nachricht kann Adressen enthalten, bis sie bearbeitet ist.
console-data-what-dead-letters = Fehlgeschlagene Arbeit, wie sie gesendet wurde: Sie kann Adressen enthalten, bis sie gelesen und zurückgestellt oder gelöscht wird.
console-data-undescribed = Nicht beschrieben: Dieses Dokument weiß nicht, was die Vorlage hier speichert.
console-data-ttl = Einträge mit Ablaufzeit ({ $attribute }) löscht DynamoDB, sobald sie verstrichen ist; der Rest bleibt bis zur Löschung (eines Projekts oder eines Kontakts).
console-data-no-ttl = Bis zur Löschung (eines Projekts oder eines Kontakts).
console-data-pitr = Die Point-in-Time-Wiederherstellung bewahrt jede Änderung 35 Tage auf.
console-data-stream = Änderungen laufen durch ihren Stream, der sie 24 Stunden aufbewahrt.
console-data-expires = { $prefix }: gelöscht nach { $days ->
        [one] einem Tag
       *[other] { $days } Tagen
    }
console-data-bucket-rest = Logos und Berichte: bis zur Löschung (eines Berichts, eines Projekts oder eines Kontakts).
console-data-old-versions = Alte Versionen überschriebener oder gelöschter Dateien: { $days ->
        [one] ein Tag
       *[other] { $days } Tage
    }
console-data-queue-kept = höchstens { $days ->
        [one] einen Tag
       *[other] { $days } Tage
    }
console-data-enc-dynamo-default = Im Ruhezustand mit einem AWS-eigenen Schlüssel (Standard von DynamoDB); bei der Übertragung über TLS.
console-data-enc-kms = Im Ruhezustand mit einem KMS-Schlüssel; bei der Übertragung über TLS.
console-data-enc-sse = Im Ruhezustand ({ $algorithm }).
console-data-tls-only = Jede Anfrage nur über TLS.
console-data-public-blocked = Kein öffentlicher Zugriff.
console-data-enc-queue = Im Ruhezustand (von SQS verwaltete Schlüssel)
console-data-enc-none = Im Ruhezustand nicht verschlüsselt
console-data-whole-bucket = der ganze Bucket
console-data-reach-iam = und wem die IAM-Richtlinien des AWS-Kontos es erlauben (seinen Administratoren).
console-data-logs-note = Die Logs der Funktionen enthalten Request-IDs und Zahlen, nie Adressen, Namen oder Freitext. Die Log-Gruppe jeder Funktion bewahrt sie auf:
console-data-logs-kept = { $days ->
        [one] ein Tag
       *[other] { $days } Tage
    }
console-data-link-personal = Ein persönlicher Umfragelink gilt standardmäßig { $days ->
        [one] einen Tag
       *[other] { $days } Tage
    } (jedes Projekt legt seine eigene Dauer fest).
console-data-link-share = Ein Freigabelink eines Berichts gilt { $days ->
        [one] einen Tag
       *[other] { $days } Tage
    }, sofern er nicht widerrufen wird.
console-data-link-account = Der Link auf einen Kundenabschnitt in einer E-Mail gilt { $days ->
        [one] einen Tag
       *[other] { $days } Tage
    }.
console-data-session = Eine Konsolensitzung dauert höchstens { $hours } Stunden; ihre Cookies sind HttpOnly, Secure und SameSite=Strict.
