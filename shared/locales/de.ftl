# Pulse: deutsche Texte (förmliche Anrede „Sie“). Jede Nachricht muss in jeder
# locales/*.ftl-Datei stehen und in shared/src/domain/i18n.rs deklariert sein.

## Respondent pages: chrome

survey-title = Ihre Meinung
survey-duration-quick = Diese kurze Umfrage dauert etwa zwei Minuten.
survey-duration-assessment = Diese Umfrage dauert etwa fünf bis sieben Minuten.
survey-logo-alt = { $org } Logo
survey-language = Sprache
survey-submit = Absenden
survey-required = Pflichtfeld
survey-optional = freiwillig
survey-only-if-contacted = nur wenn Sie kontaktiert werden möchten
survey-choose-one = Bitte eine Antwort wählen
survey-choose-any = Mehrfachauswahl möglich
survey-resource-link = Weitere Informationen und Hilfe
survey-error-summary = Bitte prüfen Sie die unten markierten Antworten.

## Validation errors

error-required = Bitte beantworten Sie diese Frage.
error-not-a-number = Bitte wählen Sie eine der angezeigten Zahlen.
error-out-of-range = Diese Antwort liegt außerhalb der Skala.
error-not-an-option = Bitte wählen Sie eine der angezeigten Optionen.
error-too-long = Diese Antwort ist zu lang.
error-contact-needed = Bitte geben Sie an, wie wir Sie erreichen, oder wählen Sie, nicht kontaktiert zu werden.
error-contact-invalid = Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer ein.

## End pages

thank-you-title = Vielen Dank!
thank-you-body = Ihre Antworten sind bei uns eingegangen.
already-answered-title = Bereits beantwortet
already-answered-body = Mit diesem Umfragelink wurde bereits geantwortet. Vielen Dank für Ihre Teilnahme.
budget-closed-title = Diese Umfrage ist für diesen Monat geschlossen
budget-closed-body = Diese Umfrage nimmt in diesem Monat keine weiteren Antworten an; Ihre Antworten wurden daher nicht gespeichert. Vielen Dank, dass Sie teilnehmen wollten.
not-found-title = Umfrage nicht gefunden
not-found-heading = Dieser Link führt zu keiner Umfrage
not-found-body = Die Umfrage ist vielleicht beendet, oder der Link ist unvollständig. Bitte prüfen Sie, ob Sie den ganzen Link aus Ihrer Einladung kopiert haben.

## Scales

scale-nps-min = Überhaupt nicht wahrscheinlich
scale-nps-max = Äußerst wahrscheinlich

## ---- emails, notifications, dashboard and reports (below this line) ----
