# Pulse: suomenkieliset tekstit (yleiskieli, sinuttelu). Jokaisen viestin on
# oltava jokaisessa locales/*.ftl-tiedostossa ja esiteltynä tiedostossa
# shared/src/domain/i18n.rs.

## Respondent pages: chrome

survey-title = Palautteesi
survey-duration-quick = Tähän lyhyeen kyselyyn vastaaminen vie noin kaksi minuuttia.
survey-duration-assessment = Tähän kyselyyn vastaaminen vie noin viidestä seitsemään minuuttia.
survey-logo-alt = Logo: { $org }
survey-language = Kieli
survey-submit = Lähetä
survey-required = pakollinen
survey-optional = vapaaehtoinen
survey-only-if-contacted = vain jos haluat, että sinuun otetaan yhteyttä
survey-choose-one = Valitse yksi
survey-choose-any = Valitse kaikki sopivat
survey-resource-link = Lisätietoja ja tukea
survey-error-summary = Tarkista alla merkityt vastaukset.

## Validation errors

error-required = Vastaa tähän kysymykseen.
error-not-a-number = Valitse jokin näytetyistä numeroista.
error-out-of-range = Vastaus on asteikon ulkopuolella.
error-not-an-option = Valitse jokin näytetyistä vaihtoehdoista.
error-too-long = Vastaus on liian pitkä.
error-contact-needed = Kerro, miten tavoitamme sinut, tai valitse, ettei sinuun oteta yhteyttä.
error-contact-invalid = Anna sähköpostiosoite tai puhelinnumero.

## End pages

thank-you-title = Kiitos!
thank-you-body = Vastauksesi on vastaanotettu.
already-answered-title = Kyselyyn on jo vastattu
already-answered-body = Tällä kyselylinkillä on jo vastattu. Kiitos osallistumisestasi.
budget-closed-title = Tämä kysely on suljettu tämän kuukauden osalta
budget-closed-body = Tämä kysely ei ota tässä kuussa vastaan enempää vastauksia, joten vastauksiasi ei tallennettu. Kiitos, että halusit osallistua.
not-found-title = Kyselyä ei löytynyt
not-found-heading = Tämä linkki ei johda kyselyyn
not-found-body = Kysely on ehkä päättynyt, tai linkki voi olla puutteellinen. Tarkista, että kopioit koko linkin kutsustasi.

## Scales

scale-nps-min = Ei lainkaan todennäköistä
scale-nps-max = Erittäin todennäköistä

## ---- emails, notifications, dashboard and reports (below this line) ----

## Ilmoitukset vastauksista

mail-notification-subject = { $org }: { $reached ->
    [one] { $reached } vastaus saavutettu
   *[other] { $reached } vastausta saavutettu
}
mail-notification-headline = Pulse-kyselynne ({ $org }) on saanut { $reached ->
    [one] { $reached } vastauksen
   *[other] { $reached } vastausta
} (nyt yhteensä { $count }).
mail-notification-nps = { $score } (±{ $margin } 95 %:n luottamustasolla, { $answers } vastauksesta)
mail-notification-no-nps = ei vielä NPS-vastauksia
mail-notification-current-nps = NPS nyt
mail-notification-see-report = Katso raportti
mail-notification-why = Saat tämän viestin, koska olet tämän projektin ilmoitusten vastaanottaja.
mail-notification-stop = Lopeta nämä ilmoitukset

## Ajastetut raportit

mail-report-subject = { $org }: Pulse-raportti { $from } – { $to }
mail-report-summary = { $responses ->
    [one] { $responses } vastaus
   *[other] { $responses } vastausta
}; NPS { $score } (±{ $margin } 95 %:n luottamustasolla).
mail-report-summary-no-nps = { $responses ->
    [one] { $responses } vastaus
   *[other] { $responses } vastausta
}; ei NPS-vastauksia tällä jaksolla.
mail-report-open = Avaa raportti
mail-report-why = Saat tämän viestin, koska olet tilannut tämän projektin raportit.
mail-report-stop = Lopeta nämä viestit

## Asiakasraportin osiot

mail-account-subject = { $org }: asiakasraportti, { $account }, { $from } – { $to }
mail-account-subject-churn = { $org }: asiakasraportti, { $account }, { $from } – { $to } (asiakaspoistuman riski)
mail-account-open = Avaa asiakkaanne osio
mail-account-valid = (linkki toimii { $days ->
    [one] { $days } päivän
   *[other] { $days } päivää
})
mail-account-why = Saat tämän viestin, koska kuulut tämän asiakkaan tiimiin.

## Yhteydenottopyynnöt

mail-followup-subject = Yhteydenottoa pyydetty: { $name } ({ $org })
mail-followup-intro = { $name } pyysi yhteydenottoa vastauksistaan { $org } -pulse-kyselyyn.
mail-followup-anonymous-person = Nimetön vastaaja
mail-followup-anonymous = (nimetön)
mail-followup-not-given = (ei annettu)
mail-followup-not-on-list = (nimetön vastaus: ei yhteystietolistalla)
mail-followup-completed = Vastattu
mail-followup-first-name = Etunimi
mail-followup-last-name = Sukunimi
mail-followup-preferred-contact = Toivottu sähköposti tai puhelinnumero
mail-followup-list-email = Sähköposti yhteystietolistalla
mail-followup-scale = { $value } (asteikko { $min }–{ $max })
mail-followup-advice = Ota yhteyttä 48 tunnin kuluessa: nopea, henkilökohtainen vastaus muuttaa huolen luottamukseksi.

## Kyselykutsut (projektin oman viestin kehys)

mail-invitation-from = Saat tämän kyselykutsun lähettäjältä { $org }.
mail-invitation-unsubscribe = Peru tilaus
mail-invitation-start = Aloita kysely

## Raportti (kojelauta)

dashboard-page-title = { $org } — Pulse-raportti { $from } – { $to }
dashboard-heading = { $org } — Pulse-raportti
dashboard-subtitle-day = Raportti { $from } – { $to } · kehitys päivittäin · laadittu { $generated }
dashboard-subtitle-week = Raportti { $from } – { $to } · kehitys viikoittain · laadittu { $generated }
dashboard-subtitle-month = Raportti { $from } – { $to } · kehitys kuukausittain · laadittu { $generated }
dashboard-no-responses = Ei vastauksia aikavälillä { $from } – { $to }.
dashboard-headline = Yleiskuva
dashboard-nps-detail = { $promoters ->
    [one] { $promoters } suosittelija
   *[other] { $promoters } suosittelijaa
} · { $passives ->
    [one] { $passives } passiivinen
   *[other] { $passives } passiivista
} · { $detractors ->
    [one] { $detractors } arvostelija
   *[other] { $detractors } arvostelijaa
}
dashboard-no-answers = ei vastauksia
dashboard-csat-detail = arvioiden 4–5 osuus asteikolla 1–5
dashboard-ces-detail = keskimääräinen vaiva asteikolla 1–7 · { $easy } % helppoa
dashboard-responses = Vastaukset
dashboard-in-this-period = tällä jaksolla
dashboard-response-rate = Vastausprosentti
dashboard-of-invitations = { $count } kutsusta
dashboard-no-invitations = tällä jaksolla ei lähetetty kutsuja
dashboard-follow-ups = Yhteydenottopyynnöt
dashboard-follow-ups-detail = vastaajat, jotka pyysivät yhteydenottoa
dashboard-up = ▲ { $delta } edelliseen jaksoon verrattuna
dashboard-down = ▼ { $delta } edelliseen jaksoon verrattuna
dashboard-same = = edellinen jakso
dashboard-no-earlier = ei aiempia tietoja
dashboard-trend = Kehitys
dashboard-chart-nps = NPS (−100–100)
dashboard-chart-csat = CSAT (% tyytyväisiä)
dashboard-chart-ces = CES (keskimääräinen vaiva, 1–7)
dashboard-chart-responses = Vastauksia jaksoittain
dashboard-no-data = ei tietoja
dashboard-distributions = Arvioiden jakaumat
dashboard-areas = Osa-alueet
dashboard-area = Osa-alue
dashboard-area-score = Pisteet (0–100)
dashboard-answers = Vastauksia
dashboard-segments = Segmentit
dashboard-value = Arvo
dashboard-no-segment-values = ei vastauksia, joissa on arvo
dashboard-no-segments = Segmenttejä ei pyydetty.
dashboard-small-sample = pieni otos (n < { $min })
dashboard-texts = Avoimet vastaukset
dashboard-follow-up-flag = yhteydenottoa pyydetty
dashboard-no-texts = Ei avoimia vastauksia tällä jaksolla.
dashboard-more-texts = ja { $count } muuta
dashboard-footer = { $now ->
    [one] { $now } vastaus
   *[other] { $now } vastausta
} tällä jaksolla · { $before } edellisellä jaksolla · luvut Pulsen koosteista

## Asiakasraportin osiot (sivut)

account-page-title = { $account } — asiakasraportti
account-subtitle = { $org } · asiakasraportti { $from } – { $to }
account-churn-risk = Asiakaspoistuman riski
account-no-churn-risk = Asiakaspoistuman riskiä ei havaittu.
account-reason-detractors = { $share } % arvostelijoita (yli { $limit } %)
account-reason-nps-fell = NPS laski { $points ->
    [one] { $points } pisteen
   *[other] { $points } pistettä
} edelliseen jaksoon verrattuna
account-health-score = Terveyspisteet
account-nps-detail = (edellinen jakso { $previous }; muutos { $trend })
account-response-rate = Vastausprosentti
account-detractor-share = Arvostelijoiden osuus
account-figures = Luvut
account-responses = Vastaukset
account-with-sub-accounts = Tämä asiakas alatileineen
account-alone = Vain tämä asiakas
account-team = Asiakastiimi
account-rule = Terveyspisteet (0–100) = 50 % NPS muunnettuna asteikolle 0–100, 30 % CSAT, 20 % vastausprosentti (puuttuvien osien paino jaetaan muille), kun vastauksia on vähintään { $min }; asiakaspoistuman riski, kun vähintään { $min } vastauksesta yli { $share } % on arvostelijoita tai NPS on laskenut edelliseen jaksoon verrattuna { $drop } pistettä tai enemmän.
account-role-account-executive = Asiakkuusjohtaja
account-role-account-owner = Asiakkuuden omistaja
account-role-customer-success-manager = Asiakasmenestyspäällikkö
account-role-technical-sales-professional = Tekninen myyntiasiantuntija
account-role-sales-engineer = Myynti-insinööri
account-role-customer-support-professional = Asiakastuen asiantuntija
account-role-other-account-team-member = Muu asiakastiimin jäsen
