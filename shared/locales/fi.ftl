# Pulse: suomenkieliset tekstit (yleiskieli, sinuttelu). Jokaisen viestin on
# oltava jokaisessa locales/*.ftl-tiedostossa ja esiteltynä tiedostossa
# shared/src/domain/i18n.rs.

## Respondent pages: chrome

survey-title = Palautteesi
survey-duration-quick = Tähän lyhyeen kyselyyn vastaaminen vie noin kaksi minuuttia.
survey-duration-assessment = Tähän kyselyyn vastaaminen vie noin viidestä seitsemään minuuttia.
survey-logo-alt = Logo: { $org }
survey-description = { $org }:n lyhyt kysely: minuutti aikaasi auttaa kehittämään toimintaa.
survey-language = Kieli
survey-submit = Lähetä
survey-required = pakollinen
survey-optional = vapaaehtoinen
survey-choose-one = Valitse yksi
survey-choose-any = Valitse kaikki sopivat
survey-resource-link = Lisätietoja ja tukea
survey-error-summary = Tarkista alla merkityt vastaukset.

## Validation errors

error-required = Vastaa tähän kysymykseen.
error-not-a-number = Valitse jokin näytetyistä numeroista.
error-out-of-range = Vastaus on asteikon ulkopuolella.
error-not-an-option = Valitse jokin näytetyistä vaihtoehdoista.
error-too-long = Vastaus on liian pitkä: enintään { $max ->
        [one] yksi merkki
       *[other] { $max } merkkiä
    }.
error-contact-needed = Kerro, miten tavoitamme sinut, tai valitse, ettei sinuun oteta yhteyttä.
error-contact-invalid = Anna sähköpostiosoite tai puhelinnumero.

## End pages

thank-you-title = Kiitos!
thank-you-body = Vastauksesi on vastaanotettu.
already-answered-title = Kyselyyn on jo vastattu
already-answered-body = Tällä kyselylinkillä on jo vastattu. Kiitos osallistumisestasi.
budget-closed-title = Tämä kysely on suljettu tämän kuukauden osalta
budget-closed-body = Tämä kysely ei ota tässä kuussa vastaan enempää vastauksia, joten vastauksiasi ei tallennettu. Kiitos, että halusit osallistua.
survey-closed-title = Tämä kysely on suljettu
survey-closed-body = Tämä kysely ei enää ota vastaan vastauksia, joten täällä lähettämääsi ei tallenneta. Kiitos, että halusit osallistua.
link-expired-title = Tämä linkki on vanhentunut
link-expired-body = Tämä henkilökohtainen kyselylinkki ei ole enää voimassa, joten täällä lähettämääsi ei tallenneta. Jos haluat silti vastata, ota yhteyttä linkin lähettäjään ja pyydä uusi linkki.
not-found-title = Kyselyä ei löytynyt
not-found-heading = Tämä linkki ei johda kyselyyn
not-found-body = Kysely on ehkä päättynyt, tai linkki voi olla puutteellinen. Tarkista, että kopioit koko linkin kutsustasi.

## Unsubscribe and report pages

unsubscribe-title = Perutaanko kyselykutsujen tilaus?
unsubscribe-text = Osoitteeseen { $email } lähetetään kyselykutsuja, joiden lähettäjä on { $org }.
unsubscribe-button = Peru tilaus
unsubscribed-title = Tilaus peruttu
unsubscribed-text = Osoitteeseen { $email } ei enää lähetetä kyselykutsuja, joiden lähettäjä on { $org }.
opt-out-title = Lopetetaanko vastausilmoitukset ja raportit?
opt-out-text = Osoitteeseen { $email } lähetetään sähköpostia, kun Pulse-kysely (organisaatio: { $org }) saavuttaa vastausmäärien raja-arvot, sekä kyselyn ajastetut raportit.
opt-out-button = Lopeta nämä ilmoitukset
opted-out-title = Ilmoitukset lopetettu
opted-out-text = Osoitteeseen { $email } ei enää lähetetä vastausilmoituksia eikä ajastettuja raportteja (organisaatio: { $org }).
unsubscribe-unknown-project = tämä projekti
report-in-progress-title = Raporttia laaditaan
report-in-progress-body = Raporttia laaditaan vielä. Yritä uudelleen minuutin kuluttua.

## Sections

section-communication = Viestintä
section-action = Toimenpiteemme
section-confidence = Luottamus
section-in-person = Asiointi paikan päällä
section-metrics = Kokemuksesi kokonaisuutena
section-customer-needs = Tarpeesi
section-about-you = Tietoja sinusta
section-follow-up = Yhteydenotto

## Questions and their options

question-comm-frequency = Kuinka usein haluaisit, että { $org } kertoo sinulle toteuttamistaan toimenpiteistä?
option-frequency-daily = Päivittäin
option-frequency-weekly = Viikoittain
option-frequency-every-two-weeks = Kahden viikon välein
option-frequency-monthly = Kuukausittain
option-frequency-when-something-changes = Vain kun jokin muuttuu
question-comm-channels = Minkä kanavien kautta haluaisit, että { $org } on sinuun yhteydessä?
option-channel-email = Sähköposti
option-channel-website = Verkkosivusto
option-channel-social-media = Sosiaalinen media
option-channel-app = Mobiilisovellus
option-channel-sms = Tekstiviesti (SMS)
option-channel-phone = Puhelu
option-channel-in-person = Henkilökohtaisesti
question-comm-met = Kuinka hyvin se, miten { $org } viestii toimenpiteistään, vastaa odotuksiasi?
scale-expectations-min = Selvästi alle odotusten
scale-expectations-max = Selvästi yli odotusten
question-action-satisfaction = Kuinka tyytyväinen olet toimenpiteisiin, joihin { $org } on tähän mennessä ryhtynyt?
scale-satisfaction-min = Erittäin tyytymätön
scale-satisfaction-max = Erittäin tyytyväinen
question-action-relevance = Kuinka merkityksellisiä toteutetut toimenpiteet ovat sinulle?
scale-relevance-min = Ei lainkaan merkityksellisiä
scale-relevance-max = Erittäin merkityksellisiä
question-action-timeliness = Kuinka oikea-aikaisesti toimenpiteisiin ryhdyttiin?
scale-timeliness-min = Aivan liian myöhään
scale-timeliness-max = Juuri oikeaan aikaan
question-confidence = Kuinka varma olet siitä, että { $org } pystyy jatkossakin vastaamaan muuttuviin tarpeisiisi?
scale-confidence-min = En lainkaan varma
scale-confidence-max = Täysin varma
question-in-person-change = Kuinka usein asioit nykyään paikan päällä organisaation { $org } luona aiempaan verrattuna?
option-visits-more = Useammin
option-visits-same = Suunnilleen yhtä usein
option-visits-less = Harvemmin
option-visits-stopped = En asioi enää paikan päällä
option-visits-never = En ole koskaan asioinut paikan päällä
question-in-person-channels = Missä tapaat meidät yleensä henkilökohtaisesti?
question-in-person-preference = Miten haluaisit asioida kanssamme tulevina kuukausina?
option-prefer-in-person = Paikan päällä kuten ennenkin
option-prefer-in-person-with-measures = Paikan päällä turvatoimin
option-prefer-online = Verkossa tai kotiinkuljetuksella
option-prefer-phone = Puhelimitse
question-nps = Kuinka todennäköisesti suosittelisit organisaatiota { $org } ystävällesi tai kollegallesi?
scale-nps-min = Ei lainkaan todennäköistä
scale-nps-max = Erittäin todennäköistä
question-csat = Kuinka tyytyväinen olet kaiken kaikkiaan organisaatioon { $org }?
question-ces = Kuinka helppoa oli saada organisaatiolta { $org } se, mitä tarvitsit?
scale-effort-min = Erittäin vaikeaa
scale-effort-max = Erittäin helppoa
question-needs = Mitä { $org } voisi tehdä paremmin tai toisin tukeakseen sinua juuri nyt?
question-industry = Millä toimialalla organisaatiosi toimii?
question-size-revenue = Mikä on organisaatiosi vuotuinen liikevaihto?
question-size-employees = Kuinka monta työntekijää organisaatiossasi on?
question-location = Missä asut?
question-follow-up = Haluatko, että { $org } ottaa sinuun yhteyttä vastaustesi johdosta?
option-follow-up-yes = Kyllä, ottakaa minuun yhteyttä
option-follow-up-no = Ei kiitos
question-follow-up-contact = Miten tavoitamme sinut? (sähköpostiosoite tai puhelinnumero)

## Default options a project may keep (the stored value is the English text)

industry-financial-services = Rahoituspalvelut
industry-healthcare = Terveydenhuolto
industry-manufacturing = Teollisuus
industry-retail = Vähittäiskauppa
industry-technology = Teknologia
industry-telecommunications = Tietoliikenne
industry-education = Koulutus
industry-government = Julkishallinto
industry-energy = Energia ja yhdyskuntapalvelut
industry-transport = Kuljetus ja logistiikka
industry-professional-services = Asiantuntijapalvelut
industry-other = Muu
size-revenue-under-1m = Alle 1 milj. $
size-revenue-1m-10m = 1–10 milj. $
size-revenue-10m-50m = 10–50 milj. $
size-revenue-50m-250m = 50–250 milj. $
size-revenue-250m-1b = 250 milj. $ – 1 mrd. $
size-revenue-over-1b = Yli 1 mrd. $
size-employees-1-9 = 1–9
size-employees-10-49 = 10–49
size-employees-50-249 = 50–249
size-employees-250-999 = 250–999
size-employees-1000-4999 = 1 000–4 999
size-employees-5000-plus = 5 000 tai enemmän
in-person-store = Myymälä
in-person-branch = Toimipiste
in-person-restaurant = Ravintola
in-person-event = Tapahtuma tai tapahtumapaikka

## US states (proper names; translated where the language has its own name)

us-state-alabama = Alabama
us-state-alaska = Alaska
us-state-arizona = Arizona
us-state-arkansas = Arkansas
us-state-california = Kalifornia
us-state-colorado = Colorado
us-state-connecticut = Connecticut
us-state-delaware = Delaware
us-state-florida = Florida
us-state-georgia = Georgia
us-state-hawaii = Havaiji
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
us-state-new-mexico = Uusi-Meksiko
us-state-new-york = New York
us-state-north-carolina = Pohjois-Carolina
us-state-north-dakota = Pohjois-Dakota
us-state-ohio = Ohio
us-state-oklahoma = Oklahoma
us-state-oregon = Oregon
us-state-pennsylvania = Pennsylvania
us-state-rhode-island = Rhode Island
us-state-south-carolina = Etelä-Carolina
us-state-south-dakota = Etelä-Dakota
us-state-tennessee = Tennessee
us-state-texas = Texas
us-state-utah = Utah
us-state-vermont = Vermont
us-state-virginia = Virginia
us-state-washington = Washington
us-state-west-virginia = Länsi-Virginia
us-state-wisconsin = Wisconsin
us-state-wyoming = Wyoming

## Respondent pages: the assessment in steps, the follow-up contact

survey-step-of = Vaihe { $n }/{ $total }
survey-step-next = Seuraava
survey-step-back = Takaisin
survey-contact-hint = Käytämme sitä vain vastataksemme sinulle.
survey-contact-notice = Pyysit yhteydenottoa: kerro alla, miten tavoitamme sinut.

## Website widget (the survey shown in a website's iframe)
embed-off-title = Tätä kyselyä ei voi näyttää muilla verkkosivuilla
embed-off-body = { $org } ei ole sallinut tämän kyselyn näyttämistä verkkosivun sisällä. Voit vastata siihen sen omalla sivulla.
embed-off-link = Avaa kysely
embed-frame-title = { $org }: asiakaskysely

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
mail-notification-nps = { $score } (95 %:n väli { $low }…{ $high }, { $answers } vastauksesta)
mail-notification-no-nps = ei vielä NPS-vastauksia
mail-notification-current-nps = NPS nyt
mail-notification-see-report = Katso raportti
mail-notification-why = Saat tämän viestin, koska olet tämän projektin ilmoitusten vastaanottaja.
mail-notification-stop = Lopeta nämä ilmoitukset
mail-alert-subject = { $org }: { $metric }-hälytys, { $scope }
mail-alert-scope-all = kaikki vastaukset
mail-alert-scope-segment = { $segment } = { $value }
mail-alert-below = { $metric } ({ $scope }) on { $value } (95 %: { $low }–{ $high }, n = { $n }), selvästi alle { $threshold }.
mail-alert-above = { $metric } ({ $scope }) on { $value } (95 %: { $low }–{ $high }, n = { $n }), selvästi yli { $threshold }.
mail-alert-drop = { $metric } ({ $scope }) laski arvoon { $value } (n = { $n }) vertailujakson arvosta { $baseline } (n = { $base_n }); näin suuri lasku syntyy sattumalta todennäköisyydellä p = { $p }.
mail-alert-period = Jakso: { $from } – { $to }
mail-alert-day = Päivä: { $day }
mail-alert-baseline = Vertailujakso: { $from } – { $to }
mail-alert-rule = Hälytyssääntö: { $rule }
mail-alert-quiet = Tästä säännöstä ja segmentistä ei tule uutta hälytystä ennen kuin arvo on palautunut.
mail-alert-see-report = Katso tämän segmentin luvut

## Ajastetut raportit

mail-report-subject = { $org }: Pulse-raportti { $from } – { $to }
mail-report-summary = { $responses ->
    [one] { $responses } vastaus
   *[other] { $responses } vastausta
}; NPS { $score } (95 %:n väli { $low }…{ $high }).
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
dashboard-too-few = liian vähän vastauksia (n = { $n })
dashboard-interval = 95 %: { $low }…{ $high }
dashboard-p-value = p = { $p } (kahden otoksen testi edelliseen jaksoon)
dashboard-no-clear-change = ei selvää muutosta edelliseen jaksoon
dashboard-no-earlier = ei aiempia tietoja
dashboard-trend = Kehitys
dashboard-chart-nps = NPS (−100–100)
dashboard-chart-csat = CSAT (% tyytyväisiä)
dashboard-chart-ces = CES (keskimääräinen vaiva, 1–7)
dashboard-chart-responses = Vastauksia jaksoittain
dashboard-no-data = ei tietoja
date-long = { $day }. { $month ->
    [1] tammikuuta
    [2] helmikuuta
    [3] maaliskuuta
    [4] huhtikuuta
    [5] toukokuuta
    [6] kesäkuuta
    [7] heinäkuuta
    [8] elokuuta
    [9] syyskuuta
    [10] lokakuuta
    [11] marraskuuta
   *[12] joulukuuta
} { $year }
date-short = { $day }.{ $month }.
date-month = { $month ->
    [1] tammikuu
    [2] helmikuu
    [3] maaliskuu
    [4] huhtikuu
    [5] toukokuu
    [6] kesäkuu
    [7] heinäkuu
    [8] elokuu
    [9] syyskuu
    [10] lokakuu
    [11] marraskuu
   *[12] joulukuu
} { $year }
date-time = { $date } klo { $hour }.{ $minute } ({ $zone })
dashboard-data-table = Luvut taulukkona
dashboard-period = Jakso
dashboard-low = 95 %: alaraja
dashboard-high = 95 %: yläraja
dashboard-chart-share = Osuus suurimmasta määrästä
dashboard-filtered = Vain vastaukset, joissa { $segment }: { $value }
dashboard-via = { $scale } avattu sähköpostin arviorivistä ({ $scale_rate }) · { $button } sen painikkeesta ({ $button_rate })
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
account-client-decision-maker = Päätöksentekijä
account-client-influencer = Vaikuttaja
account-client-procurement-finance-person = Hankinta tai talous
account-client-program-manager = Ohjelmapäällikkö
account-client-executive-sponsor = Johdon sponsori
account-client-end-user = Loppukäyttäjä
account-client-account-member = Asiakkaan työntekijä

## The operators' console (render::keys::CONSOLE)
console-skip = Siirry sisältöön
console-nav = Konsoli
console-nav-projects = Projektit
console-nav-budgets = Budjetit ja paketit
console-nav-users = Käyttäjät
console-language = Kieli
console-language-apply = Vaihda
console-sign-out = Kirjaudu ulos
console-role-admin = Ylläpitäjä
console-role-editor = Muokkaaja
console-role-viewer = Katselija
console-role-none = Ei roolia
console-sign-in-title = Kirjaudu Pulseen
console-email = Sähköpostiosoite
console-password = Salasana
console-sign-in = Kirjaudu
console-forgot-link = Unohditko salasanasi?
console-signed-out = Olet kirjautunut ulos.
console-session-expired = Istuntosi on päättynyt. Kirjaudu uudelleen, niin palaat pyytämällesi sivulle.
console-new-password-title = Valitse salasanasi
console-new-password-intro = Kirjaudut ensimmäistä kertaa väliaikaisella salasanalla. Valitse oma salasana jatkaaksesi.
console-new-password = Uusi salasana
console-repeat-password = Toista uusi salasana
console-password-policy = Vähintään 12 merkkiä: isoja ja pieniä kirjaimia, numero ja erikoismerkki.
console-set-password = Aseta salasana
console-totp-title = Syötä todennussovelluksen koodi
console-totp-code = Kuusinumeroinen koodi
console-forgot-title = Nollaa salasanasi
console-forgot-intro = Anna sähköpostiosoitteesi, niin lähetämme koodin uuden salasanan asettamista varten.
console-forgot-send = Lähetä koodi
console-forgot-sent = Jos osoitteella on tili, koodi on matkalla. Syötä se alle uuden salasanan kanssa.
console-forgot-code = Sähköpostin koodi
console-back-to-sign-in = Takaisin kirjautumiseen
console-password-changed = Salasanasi on vaihdettu. Kirjaudu nyt sillä.
console-err-credentials = Sähköpostiosoite tai salasana on väärin.
console-err-disabled = Tämä tili on poistettu käytöstä. Ota yhteyttä tiimisi ylläpitäjään.
console-err-weak-password = Salasana ei täytä sääntöjä: vähintään 12 merkkiä, isoja ja pieniä kirjaimia, numero ja erikoismerkki.
console-err-passwords-differ = Salasanat eivät täsmää.
console-err-code = Koodi on väärä. Tarkista se ja yritä uudelleen.
console-err-code-expired = Koodi on vanhentunut. Pyydä uusi.
console-err-too-many = Liian monta yritystä. Odota muutama minuutti ja yritä uudelleen.
console-err-reset-required = Salasanasi on ensin nollattava: käytä kohtaa ”Unohditko salasanasi?”.
console-err-sign-in-expired = Kirjautuminen kesti liian kauan. Aloita alusta.
console-err-unavailable = Kirjautuminen ei ole juuri nyt käytettävissä. Yritä hetken kuluttua uudelleen.
console-err-csrf = Lomake on vanhentunut tai se ei ole peräisin konsolista. Palaa takaisin, lataa sivu uudelleen ja lähetä se uudestaan.
console-err-no-role = Tilillesi ei ole vielä annettu roolia. Pyydä ylläpitäjää antamaan se.
console-err-forbidden = Roolisi ei salli tätä. Mitään ei muutettu.
console-err-required = Täytä tämä kenttä.
console-err-language-needed = Valitse vähintään yksi kieli.
console-err-email = Anna sähköpostiosoite, esimerkiksi nimi@example.com.
console-forbidden-title = Ei sallittu
console-not-found-title = Sivua ei löytynyt
console-problem-title = Jokin meni vikaan
console-request-id = Pyynnön tunniste: { $id }
console-projects-title = Pulse-projektit
console-projects-caption = Jokainen projekti tilan, vastausten ja NPS:n kanssa.
console-new-project = Uusi projekti
console-no-projects = Ei vielä projekteja.
console-col-project = Projekti
console-col-state = Tila
console-col-responses = Vastaukset
console-col-role = Rooli
console-col-actions = Toiminnot
console-kind-quick = Pikakysely (noin 2 minuuttia)
console-kind-assessment = Arviointi (5–7 minuuttia)
console-state-draft = Luonnos
console-state-published = Julkaistu, versio { $version }
console-wizard-title = Pulse-projektin määritys
console-wizard-errors = Korjaa seuraavat kohdat:
console-field-kind = Kyselyn tyyppi
console-field-kind-hint = Ei muutettavissa projektin luomisen jälkeen.
console-field-org = Organisaation nimi
console-field-business = Liiketoiminnan tyyppi
console-field-languages = Kyselyn kielet
console-field-operational = Operatiiviset tietokentät
console-field-operational-hint = Yksi riviä kohden, kirjoitettuna täsmälleen kuten yhteystietoluettelon sarake (”Business Unit” ei ole ”BusinessUnit”).
console-field-resource = Lopussa näytettävä tukisivu (valinnainen)
console-save-draft = Tallenna luonnoksena
console-saved-notice = Tallennettu luonnoksena. Esikatsele ja julkaise, kun se on valmis.
console-published-notice = Julkaistu versiona { $version }. Vastaajat näkevät nyt tämän version.
console-revision = Luonnoksen versio
console-preview-title = Esikatselu
console-preview-open = Esikatsele kyselyä vastaajan näkökulmasta
console-preview-intro = Luonnos sellaisena kuin vastaajat näkevät sen julkaisun jälkeen, puhelimessa ja tietokoneella. Täällä annettuja vastauksia ei tallenneta.
console-preview-phone = Kyselyn esikatselu puhelimen leveydellä
console-preview-desktop = Kyselyn esikatselu tietokoneen leveydellä
console-publish = Julkaise
console-publish-hint = Julkaisu tekee nykyisestä luonnoksesta vastaajien näkemän version; myöhemmät muutokset tekevät uuden luonnoksen.
console-links-title = Linkit
console-anonymous-link = Anonyymi linkki (verkkosivu, widget, QR-koodi)
console-open-survey = Avaa kysely
console-qr-alt = Anonyymin linkin QR-koodi
console-qr-download = Lataa QR-koodi (SVG)
console-link-after-publish = Linkit toimivat, kun projekti on julkaistu.
console-budgets-title = Budjetit ja paketit
console-no-accounts = Ei vielä tilejä: projekteilla ilman tiliä ei ole budjettia.
console-plan = Paketti
console-month = Laskutuskuukausi
console-budget = Kuukausibudjetti
console-used = Käytetty
console-remaining = Jäljellä
console-refused = Hylätty tässä kuussa
console-lifetime = Käytetty yhteensä / enimmäismäärä
console-refuses-next = Mikä hylkää seuraavan tietueen
console-last-sync = Viimeisin synkronointi
console-last-accepted = Viimeisin hyväksytty tietue
console-change-plan = Tilin paketti
console-change-plan-button = Vaihda paketti
console-users-title = Konsolin käyttäjät
console-role-of = Käyttäjän { $email } rooli
console-save = Tallenna
console-user-enabled = Käytössä
console-user-disabled = Poistettu käytöstä
console-disable = Poista käytöstä
console-enable = Ota käyttöön
console-invite-title = Kutsu kollega
console-invite-hint = Hän saa sähköpostin, jossa on väliaikainen salasana.
console-invite = Kutsu

## The console's guided setup (render::keys::CONSOLE_SETUP)
console-steps = Määrityksen vaiheet
console-step-of = Vaihe { $step }/{ $steps }
console-step-basics = Mikä projekti on
console-step-questions = Kysymykset
console-step-wording = Sanamuodot
console-step-after = Vastauksen jälkeen
console-step-account = Tili ja budjetti
console-step-logo = Logo ja ilme
console-step-summary = Yhteenveto
console-save-continue = Tallenna ja jatka
console-back = Takaisin
console-edit = Muuta
console-business-b2b = B2B: yritysasiakkaat
console-business-b2c = B2C: kuluttajat
console-field-default-language = Oletuskieli
console-field-default-language-hint = Vastaajat, joiden kieltä ei tarjota, näkevät tämän. Sen on oltava yksi yllä valituista kielistä.
console-err-default-language = Oletuskielen on oltava yksi kyselyn kielistä.
console-err-field = Tarkista tämä kenttä: { $detail }
console-err-number = Anna kokonaisluku, esimerkiksi 10.
console-err-logo-size = Logo on yli 1 Mt. Valitse pienempi tiedosto.
console-err-logo-type = Logon on oltava PNG-, JPEG- tai SVG-kuva.
console-one-per-line = Yksi riviä kohden.
console-field-industries = Vastausvaihtoehtoina tarjottavat toimialat
console-field-size-measure = Yrityksen koko mitataan
console-size-employees = Työntekijämäärän mukaan
console-size-revenue = Liikevaihdon mukaan
console-field-size-bands = Kokoluokat
console-field-size-bands-hint = Yksi riviä kohden; esitäytetty mittarin oletuksilla, muokattavissa.
console-field-in-person = Käyttäytyminen paikan päällä
console-field-in-person-yes = Kysy, miten käynnit muuttuvat ja miten asiakkaat haluavat asioida paikan päällä
console-field-channels = Paikan päällä olevat kanavat
console-field-locations = Vastaajien valittavissa olevat sijainnit
console-field-locations-hint = Yksi riviä kohden; tyhjänä tarjotaan Yhdysvaltain 50 osavaltiota.
console-field-demographics = Lisäkysymykset vastaajasta
console-field-demographics-hint = Yksi riviä kohden: kysymys, kaksoispiste ja vaihtoehdot pilkuin eroteltuina (”Ikäryhmä: 18–34, 35–54, 55+”); ilman vaihtoehtoja vastaus on vapaata tekstiä. Älä kysy sitä, minkä yhteystietoluettelo jo kertoo.
console-field-hidden = Pois jätettävät valinnaiset kysymykset
console-field-hidden-hint = Rastitettuja kysymyksiä ei kysytä. Pakolliset kysymykset (mittarit) kysytään aina.
console-wording-intro = Muuta minkä tahansa kysymyksen sanamuotoa kyselyn jokaisella kielellä. Jätä teksti ennalleen säilyttääksesi vakiosanamuodon.
console-field-follow-ups = Yhteydenottopyynnöt
console-field-follow-ups-hint = Vastaajat voivat pyytää yhteydenottoa; enintään kymmenelle kollegalle lähetetään tiedot sähköpostilla.
console-field-follow-ups-on = Tarjoa vastaajille yhteydenottoa
console-field-recipients = Vastaanottajat
console-recipients-hint = Sähköpostiosoitteet, yksi riviä kohden (1–10).
console-field-notifications = Vastausilmoitukset
console-notify-off = Pois päältä
console-notify-every = Joka N. vastauksen jälkeen (N, 2N, 3N …)
console-notify-once = Kerran, kun N vastausta on saatu
console-field-notify-n = N (vastausten määrä)
console-field-reports = Ajastettu raportti
console-report-off = Ei ajastettua raporttia
console-report-daily = Päivittäin
console-report-weekly = Viikoittain (maanantaisin)
console-report-monthly = Kuukausittain
console-field-subscribers = Kuka saa raportin
console-account-intro = Tili, jonka paketista ja kuukausibudjetista tämän projektin kutsut ja anonyymit vastaukset vähennetään.
console-field-account = Tili
console-no-account = Ei tiliä (ei budjettia)
console-field-logo = Logotiedosto
console-field-logo-hint = PNG, JPEG tai SVG, enintään 1 Mt. Se näkyy kyselyn yläosassa.
console-logo-current = Nykyinen logo
console-edit-setup = Muuta määritystä

## The console's dashboard and responses (render::keys::CONSOLE_INSIGHTS)
console-project-nav = Projektin osiot
console-tab-overview = Yleiskatsaus
console-tab-dashboard = Raportti
console-tab-responses = Vastaukset
console-dashboard-title = { $org }: raportti
console-dashboard-range = Aikaväli ja jaottelu
console-period = Kehitys jaksoittain
console-period-day = Päivä
console-period-week = Viikko
console-period-month = Kuukausi
console-from = Alkaen (ensimmäinen päivä)
console-to = Päättyen (viimeinen päivä)
console-segment = Jaottele
console-no-segment = Ei jaottelua
console-show = Näytä
console-downloads = Lataukset ja jakolinkit
console-make-report-hint = Tekee näytetystä aikavälistä HTML-, CSV- ja JSON-tiedostot sekä 90 päivää voimassa olevan jakolinkin.
console-make-report = Tee lataukset
console-no-reports = Raportteja ei ole vielä tehty.
console-share-link = Uusi jakolinkki
console-share-shown-once = Jakolinkki tehty. Kopioi se nyt: se näytetään vain tämän kerran, ja se avaa raportin 90 päivän ajan ilman kirjautumista.
console-refresh = Tekeillä: lataa uudelleen
console-responses-title = { $org }: vastaukset
console-filter = Suodata
console-channel = Linkki
console-any = Kaikki
console-channel-personal = Henkilökohtainen linkki
console-channel-anonymous = Anonyymi linkki
console-band = NPS-ryhmä
console-band-promoters = Suosittelijat (9–10)
console-band-passives = Passiiviset (7–8)
console-band-detractors = Arvostelijat (0–6)
console-follow-up-asked = Pyysi yhteydenottoa
console-yes = Kyllä
console-no = Ei
console-segment-value = Segmentti
console-segment-value-hint = Kenttä ja sen arvo, esimerkiksi Region=Pohjoinen.
console-responses-count =
    { $count ->
        [one] Yhteensä yksi vastaus.
        *[other] Yhteensä { $count } vastausta.
    }
console-export-csv = Vie nämä vastaukset (CSV)
console-responses-caption = Suodatinta vastaavat vastaukset, vanhin ensin.
console-submitted = Vastattu
console-contact = Yhteyshenkilö
console-next-page = Seuraava sivu
console-response-title = Vastaus
console-version = Kyselyn versio
console-answers = Vastaukset kysymyksittäin

## The console's website widget (render::keys::CONSOLE_EMBED)
console-embed-title = Kysely verkkosivulla
console-embed-intro = Tähän lisäämäsi verkkosivut saavat näyttää anonyymin kyselyn sivuillaan. Sen kautta tulleet vastaukset tallennetaan ja lasketaan kuten anonyymin linkin kautta tulleet.
console-embed-origins = Verkkosivut, joilla kyselyn saa näyttää
console-embed-origins-hint = Yksi osoite riviä kohden, esim. https://www.example.com: vain https, ei polkua eikä jokerimerkkejä. Tyhjä: mikään sivusto ei saa näyttää sitä.
console-embed-save = Tallenna verkkosivut
console-embed-snippet = Verkkosivulle liitettävä koodi
console-embed-off = Mikään verkkosivu ei vielä saa näyttää kyselyä: lisää ensin sen osoite alle.

## The console's project page (render::keys::CONSOLE_PROJECT)
console-change-org = Organisaation nimi
console-change-languages = Kyselyn kielet
console-change-resource = Tukisivun linkki
console-change-logo = Logo
console-change-added = Nyt kysytään: { $question }
console-change-removed = Ei enää kysytä: { $question }
console-change-changed = Muutettu: { $question }
console-unpublished-title = Julkaisemattomat muutokset
console-unpublished-none = Ei muutoksia.
console-history-title = Julkaistut versiot
console-history-version = Versio { $version }
console-history-first = Ensimmäinen julkaistu versio.
console-minted = Henkilökohtainen linkki (lähetä vain tälle henkilölle):
console-mint-title = Henkilökohtainen linkki yhdelle yhteyshenkilölle
console-mint-hint = Itse jaettavaa linkkiä varten; yhteyshenkilön kentät liitetään vastaukseen eikä niitä kysytä uudelleen.
console-first-name = Etunimi
console-last-name = Sukunimi
console-contact-language = Yhteyshenkilön kieli
console-mint-button = Luo linkki
console-survey-open = Kysely on avoinna: sen linkit ottavat vastauksia.
console-survey-closed = Kysely on ollut suljettuna { $at } (UTC) alkaen: sen linkit kertovat siitä eivätkä ota vastauksia.
console-close-survey = Sulje kysely
console-reopen-survey = Avaa kysely uudelleen
console-rotate-title = Vaihda anonyymi linkki
console-rotate-hint = Nykyinen linkki ja sen QR-koodi lakkaavat toimimasta heti. Henkilökohtaiset linkit toimivat edelleen.
console-rotate-button = Vaihda linkki
console-rotated-notice = Anonyymi linkki vaihdettiin. Jaa alla oleva uusi linkki ja QR-koodi.
console-link-days = Päiviä, jotka henkilökohtainen linkki toimii tekemisensä jälkeen (1–365)
console-link-days-save = Tallenna päivät
console-delete-title = Poista tämä projekti
console-delete-hint = Poistaa projektin kaikkine vastauksineen, yhteystietoineen, postituslistoineen, lähetyksineen, raportteineen ja tiedostoineen; mikään sen linkki ei enää toimi. Tätä ei voi perua.
console-delete-confirm = Vahvista kirjoittamalla projektin nimi: { $name }
console-delete-button = Poista projekti ja kaikki sen tiedot
console-delete-mismatch = Nimi ei vastaa projektin nimeä, joten mitään ei poistettu.
console-deleted-notice = Projekti poistettiin. Sen tiedot poistetaan taustalla.
console-shares = Jakolinkit
console-shares-title = Raportin { $from } – { $to } jakolinkit
console-shares-hint = Linkki näytetään vain sitä tehtäessä. Tässä näet, milloin kukin tehtiin ja mihin asti se toimii, ja voit perua sen.
console-shares-none = Tällä raportilla ei ole jakolinkkejä.
console-col-label = Tehty
console-col-made = Tehty (UTC)
console-col-expires = Voimassa asti (UTC)
console-revoke = Peru
console-revoked-notice = Linkki peruttiin: se ei avaa enää mitään.
console-delete-report = Poista tämä raportti ja sen tiedostot
console-report-deleted-notice = Raportti ja sen tiedostot poistettiin; sen jakolinkit eivät avaa enää mitään.
console-tab-contacts = Yhteystiedot
console-contacts-title = { $org }: yhteystiedot
console-lists-title = Postituslistat
console-no-lists = Ei vielä postituslistoja: jokainen ladattu yhteystietotiedosto luo sellaisen.
console-col-list = Lista
console-col-members = Yhteystietoja
console-members-title = Listan { $list } jäsenet
console-find-title = Etsi yhteystieto osoitteella
console-find-button = Etsi
console-contact-not-found = Tällä osoitteella ei ole ketään projektin yhteystiedoissa eikä estetyissä osoitteissa.
console-contact-title = Yhteystieto
console-not-suppressed = Ei estetty: tähän osoitteeseen lähetetään kutsuja.
console-suppressed-state = Estetty ({ $reason }) { $at } (UTC) alkaen: tähän osoitteeseen ei lähetetä kutsuja.
console-reason-manual = lisätty käsin
console-reason-unsubscribed = perui kutsut
console-reason-bounced = ei toimitettavissa
console-reason-complained = merkitty roskapostiksi
console-reason-deleted = poistettu CRM:stä
console-erase-title = Poista tämän henkilön tiedot (GDPR)
console-erase-hint = Poistaa heti yhteystiedon, sen listajäsenyydet ja henkilökohtaiset linkit, sitten nimen, osoitteen ja vapaat tekstit kaikista vastauksista ja raporteista; arviot säilyvät. Jos osoite on estetty, esto säilyy koodina, jotta henkilölle ei enää lähetetä postia.
console-erase-confirm = Ymmärrän, ettei tätä voi perua.
console-erase-button = Poista henkilön tiedot
console-erase-unconfirmed = Vahvista rastittamalla ruutu; mitään ei poistettu.
console-job-title = Tietojen poisto
console-job-running = Käynnissä (nyt: { $phase }). Henkilön hakemistotiedot on jo poistettu.
console-job-done = Valmis: henkilöstä ei ole jäljellä muuta kuin eston koodi.
console-job-removed = Mitä poistettiin mistä
console-job-done-clean = Valmis: henkilöstä ei ole jäljellä mitään.
console-place-contact = Yhteystieto
console-place-list-memberships = Listajäsenyydet
console-place-links = Henkilökohtaiset kyselylinkit
console-place-b2b-contacts = B2B-yhteystietotietueet
console-place-invitations = Kutsutietueet
console-place-triggered = Käynnistetyt lähetykset (yhteystiedot tyhjennetty)
console-place-suppression = Esto (säilytetään koodina, ei koskaan postitusta)
console-place-responses = Vastaukset (nimi, osoite ja vapaa teksti poistettu; pisteet säilyvät)
console-place-reports = Raportit luotu uudelleen ilman henkilöä
console-place-uploads = Yhteystietotiedostot kirjoitettu uudelleen ilman henkilöä
console-place-import-reports = Hylättyjen rivien tiedostot kirjoitettu uudelleen ilman henkilöä
console-phase-responses = vastaukset
console-phase-reports = tallennetut raportit
console-phase-files = yhteystietotiedostot
console-suppressions-title = Estetyt osoitteet
console-suppressions-none = Yhtään osoitetta ei ole estetty.
console-col-address = Osoite
console-col-reason = Syy
console-col-since = Alkaen (UTC)
console-suppress-title = Estä osoite käsin
console-suppress-button = Estä
console-lift = Poista esto
console-lift-hint = Vain käsin lisätyt estot voi poistaa: kutsujen peruutus, toimitusvirhe tai roskapostimerkintä säilyy.
console-tab-sends = Kutsut
console-sends-title = { $org }: kutsut
console-no-sends = Kutsuja ei ole vielä lähetetty.
console-col-started = Aloitettu (UTC)
console-col-sent = Lähetetty
console-col-skipped = Ohitettu
console-col-failed = Epäonnistui
console-send-title = Kutsut { $at } (UTC)
console-send-state = Tila: { $state }
console-dist-scheduled = ajastettu
console-dist-planning = valmistellaan
console-dist-sending = lähetetään
console-dist-done = valmis
console-dist-cancelled = peruttu
console-dist-paused = keskeytetty
console-count-planned = Suunniteltu
console-skip-suppressed = Ohitettu: osoite on estetty
console-skip-unsubscribed = Ohitettu: perui kutsut
console-skip-invalid = Ohitettu: ei sähköpostiosoite
console-skip-quiet = Ohitettu: kutsuttu äskettäin (lepoaika)
console-skip-budget = Ohitettu: budjetti oli käytetty
console-skip-cancelled = Ohitettu: lähetys peruttiin
console-skip-erased = Ohitettu: henkilön tiedot poistettiin (GDPR)
console-count-reminders = Muistutuksia lähetetty
console-count-reminders-budget = Muistutuksia ei lähetetty: budjetti oli käytetty
console-failed-refused = joista postipalvelu hylkäsi (osoite tai viesti)
console-failed-unknown = joiden toimitus on tuntematon (ajo keskeytyi lähetettäessä; ei lähetetä uudelleen)
console-failed-no-message = joille ei ollut viestiä yhteystiedon kielellä
console-count-responses = Vastaukset
console-response-share = { $n } ({ $percent } % lähetetyistä)
console-count-not-answered = Ei vielä vastannut
console-reminder-due = Muistutus erääntyy
console-cancel-send = Peru lähetys
console-cancel-send-hint = Jo lähetetyt kutsut pysyvät lähetettyinä; loput ohitetaan.
console-recipients-title = Vastaanottajat: kuka sai kutsun, kuka ei, ja miksi
console-show-state = Näytä
console-state-all = kaikki
console-col-outcome = Mitä tapahtui
console-outcome-sent = Lähetetty
console-outcome-waiting = Lähetetään
console-outcome-failed = Epäonnistui: { $reason }
console-no-recipients = Ei ketään tällä sivulla.
console-err-url = Anna täydellinen osoite, joka alkaa https://, esimerkiksi https://example.com/tuki.
console-err-emails = Jokin riveistä ei ole sähköpostiosoite. Anna yksi osoite riviä kohden, esimerkiksi nimi@example.com.
console-col-last-day = Viimeisin vastauspäivä (neljä viime viikkoa)

refused-title = Vastauksiasi ei hyväksytty
refused-body = Tätä lomaketta ei voitu hyväksyä, joten mitään ei tallennettu. Avaa kysely uudelleen sen linkistä ja vastaa siellä.
resend-notice = Vastauksesi ovat tallessa alla. Tarkista ne ja lähetä lomake uudelleen.
busy-notice = Juuri nyt saapuu hyvin paljon vastauksia. Vastauksesi ovat tallessa alla; lähetä lomake uudelleen minuutin kuluttua.
busy-title = Juuri nyt saapuu hyvin paljon vastauksia
busy-body = Mitään ei ole vielä tallennettu. Palaa takaisin ja lähetä lomake uudelleen minuutin kuluttua: vastauksesi ovat yhä siinä.
daily-cap-title = Tämä kysely on saavuttanut tämän päivän rajan
daily-cap-body = Tämä kysely ei ota tänään vastaan enempää vastauksia, joten vastauksiasi ei tallennettu. Yritä uudelleen huomenna.
survey-honeypot = Jätä tämä kenttä tyhjäksi

console-reserve = Kutsuille varattu joka kuukausi
console-link-share = Linkkien kautta tulleet vastaukset: käytetty siitä, mitä ne saavat käyttää
console-set-reserve = Kutsuille joka kuukausi varatut tietueet
console-set-reserve-button = Varaa

console-uploads-link = Lataa yhteystietoja
console-uploads-title = { $org }: yhteystietotiedostot
console-upload-new = Lataa tiedosto
console-upload-kind = Tiedoston sisältö
console-file-contacts = Yhteystiedot jakelulistalle
console-file-accounts = B2B-asiakkuudet
console-file-b2b-contacts = B2B-asiakkuuksien yhteyshenkilöt
console-file-team = Asiakkuustiimien jäsenet
console-upload-list-name = Jakelulistan nimi
console-upload-list-hint = Jätä tyhjäksi, niin nimeksi tulee tämän päivän päivämäärä.
console-upload-next = Jatka tiedoston valintaan
console-columns-title = Tiedoston sarakkeet
console-columns-hint = Ensimmäinen rivi nimeää sarakkeet täsmälleen kuten luettelossa (kirjainkoko, välilyönnit ja välimerkit ratkaisevat). CSV tai TSV, UTF-8, enintään 100 Mt. Muut sarakkeet ohitetaan huomautuksella.
console-col-column = Sarake
console-col-needed = Tarvitaanko
console-col-in-pulse = Pulsessa
console-mapping-title = Näin tiedoston sarakkeet luetaan (projektin sarakemääritys)
console-field-account-id = Asiakkuuden tunnus (CRM:stä)
console-field-contact-id = Yhteyshenkilön tunnus (CRM:stä)
console-field-account-name = Asiakkuuden nimi
console-field-parent = Emoasiakkuus (hierarkia)
console-field-deleted = Poistettu CRM:ssä (true: poistetaan Pulsesta)
console-field-first-name = Etunimi
console-field-last-name = Sukunimi
console-field-email = Sähköpostiosoite
console-field-title = Tehtävänimike (antaa asiakasroolin)
console-field-account-of = Yhteyshenkilön tai jäsenen asiakkuus
console-field-team-member = Tiimin jäsenen sähköpostiosoite
console-field-team-role = Rooli tiimissä
console-field-attribute = Asiakkuuden ominaisuus ”{ $name }”
console-required = pakollinen
console-optional = valinnainen
console-sample = Lataa esimerkkitiedosto
console-upload-choose = Tiedosto (CSV tai TSV)
console-upload-button = Lataa
console-upload-progress = Latauksen eteneminen
console-upload-broken = Lataus ei valmistunut. Tarkista yhteys ja lataa tiedosto uudelleen.
console-import-title = Tuonti: { $list }
console-import-waiting = Odottaa tiedostoa
console-import-validating = Jokaista riviä tarkistetaan…
console-import-saving = Yhteystietoja tallennetaan…
console-import-running = Yhteystietoja tallennetaan: { $written } / { $total }
console-import-checked = Jokaista riviä tarkistetaan: { $rows } tarkistettu
console-import-done = Tuonti valmis
console-import-failed = Tiedostoa ei tuotu; mitään ei tallennettu.
console-import-progress = Tuonnin eteneminen
console-import-refresh = Päivitä
console-count-rows = Luetut rivit
console-count-accepted = Hyväksytyt
console-count-rejected = Hylätyt
console-count-merged = Yhdistetyt kaksoiskappaleet
console-count-suppressed = Estetyt (tallennettu, ei koskaan postiteta)
console-count-contacts = Listan yhteystiedot
console-show-list = Näytä lista
console-warnings-title = Huomautukset
console-warn-unused = Saraketta ”{ $column }” ei käytetä; sen arvoja ei tallennettu.
console-rejections-title = Ensimmäiset hylätyt rivit
console-col-line = Rivi
console-rejected-file = Lataa kaikki hylätyt rivit syineen (CSV)
console-header-near = Sarake ”{ $found }” näyttää sarakkeelta ”{ $column }”. Nimeä se täsmälleen muotoon ”{ $column }” (kirjainkoko, välilyönnit ja välimerkit ratkaisevat) ja lataa tiedosto uudelleen.
console-header-missing = Tiedostosta puuttuu sarake ”{ $column }”. Lisää se ensimmäiselle riville ja lataa tiedosto uudelleen.
console-file-xlsx = Tämä on Excel-työkirja (.xlsx), ei CSV-tiedosto. Valitse Excelissä Tiedosto › Tallenna nimellä ja tiedostomuodoksi ”CSV UTF-8 (pilkuin erotettu) (*.csv)” ja lataa se tiedosto.
console-file-xls = Tämä on Excel 97–2003 -työkirja (.xls), ei CSV-tiedosto. Valitse Excelissä Tiedosto › Tallenna nimellä ja tiedostomuodoksi ”CSV UTF-8 (pilkuin erotettu) (*.csv)” ja lataa se tiedosto.
console-file-ods = Tämä on LibreOffice-laskentataulukko (.ods), ei CSV-tiedosto. Valitse LibreOfficessa Tiedosto › Tallenna nimellä, tiedostomuodoksi ”Teksti CSV (.csv)” ja merkistöksi ”Unicode (UTF-8)” ja lataa se tiedosto.
console-file-numbers = Tämä on Numbers-dokumentti, ei CSV-tiedosto. Valitse Numbersissa Arkisto › Vie › CSV ja tekstin koodaukseksi ”Unicode (UTF-8)” ja lataa se tiedosto.
console-file-zip = Tämä on ZIP-arkisto, ei CSV-tiedosto. Pura se ja lataa sen sisältämä CSV-tiedosto.
console-file-pdf = Tämä on PDF-dokumentti, ei CSV-muotoinen yhteystietoluettelo. Vie luettelo sen sisältävästä ohjelmasta muodossa ”CSV UTF-8” ja lataa se tiedosto.
console-file-image = Tämä on kuva, ei CSV-muotoinen yhteystietoluettelo. Vie luettelo sen sisältävästä ohjelmasta muodossa ”CSV UTF-8” ja lataa se tiedosto.
console-file-binary = Tämä ei ole tekstitiedosto (siinä on binääridataa tavusta { $at } alkaen). Tallenna luettelo muodossa ”CSV UTF-8” ja lataa se tiedosto.
console-file-mixed = Rivistä { $line } alkaen tiedoston merkistö on eri kuin ennen sitä: tiedostossa on sekaisin eri merkistöjä. Tallenna se uudelleen muodossa ”CSV UTF-8” (Excel: ”CSV UTF-8 (pilkuin erotettu)”; LibreOffice: Teksti CSV ja merkistö ”Unicode (UTF-8)”) ja lataa se uudelleen.
console-file-too-large = Tiedoston koko on { $size } Mt; yhteystietotiedosto saa olla enintään { $limit } Mt. Jaa se pienempiin tiedostoihin ja lataa ne yksi kerrallaan.
console-upload-too-large = Tämä tiedosto on suurempi kuin { $limit } Mt, yhteystietotiedoston enimmäiskoko. Jaa se pienempiin tiedostoihin ja lataa ne yksi kerrallaan.
console-upload-again = Lataa toinen tiedosto
console-upload-replaced = Tähän lataukseen kirjoitettiin { $at } toinen tiedosto. Sitä ei tuotu: latauksessa on yksi tiedosto, ja tämä sivu näyttää ensimmäisen tiedoston. Tuo toinen tiedosto lataamalla se uudelleen.
console-imports-title = Aiemmat lataukset
console-upload-received = Tiedosto on perillä. Avataan tuonti…
console-continue = Jatka

console-compose-link = Kutsu lista…
console-compose-title = Kutsu lista { $org }:n kyselyyn
console-no-ready-lists = Yksikään jakelulista ei ole vielä valmis kutsuttavaksi.
console-compose-list = Jakelulista
console-list-option = { $name } ({ $count ->
        [one] 1 yhteystieto
       *[other] { $count } yhteystietoa
    })
console-placeholders = Paikkamerkit, jotka täytetään kullekin yhteystiedolle (skriptin ollessa päällä napsautus lisää sen kohdistimen kohdalle):
console-message-in = Kutsu kielellä { $language }
console-reminder-in = Muistutus kielellä { $language }
console-subject = Aihe
console-body = Teksti
console-body-hint = Tyhjä rivi aloittaa uuden kappaleen. Pidä kyselylinkki tekstissä.
console-when = Milloin lähetetään
console-send-now = Nyt
console-send-at = Tiettynä aikana
console-send-at-time = Päivä ja kellonaika ({ $tz })
console-err-list-empty = Tässä luettelossa ei ole yhteystietoja, joten ketään ei kutsuttaisi. Valitse toinen luettelo tai lataa ensin tiedosto, jossa on yhteystietoja.
console-err-message-missing = Kutsu kielellä { $language } puuttuu. Kirjoita sen aihe ja teksti: kieltä { $language } puhuvat yhteystiedot lukevat tämän version.
console-err-reminder-missing = Muistutus kielellä { $language } puuttuu. Kirjoita sen aihe ja teksti tai poista muistutus käytöstä.
console-err-send-at-past = Tämä ajankohta on jo mennyt ({ $tz }). Valitse myöhäisempi ajankohta tai lähetä heti.
console-quiet-info = Yhteystiedot, jotka projektin toinen lähetys on kutsunut näin monen päivän sisällä, ohitetaan. Projektin hiljainen jakso on { $days } päivää; 0 ei ohita ketään.
console-quiet-days = Hiljainen jakso (päivää)
console-err-quiet-days = Hiljainen jakso voi olla enintään 365 päivää.
console-reminder-title = Muistutus
console-reminder-on = Lähetä yksi muistutus niille, jotka eivät ole vastanneet
console-reminder-days = Päiviä kutsun jälkeen (1–60)
console-test-to = Lähetä kunkin kielen testi osoitteeseen
console-test-button = Lähetä testi
console-test-sent = { $count } testiviestiä on matkalla.
console-check-button = Tarkista, mitä tapahtuu
console-send-button = Lähetä kutsut
console-forecast-title = Mitä tapahtuu
console-forecast-contacts = Listan yhteystiedot
console-forecast-send = Saavat kutsun
console-forecast-estimated = Ohitetut on arvioitu listan { $checked } ensimmäisen yhteystiedon perusteella.
console-budget-use = Tämä käyttää budjetista { $uses }: tässä kuussa on käytetty { $used } / { $budget }, jäljellä { $remaining }.
console-preview-for = Viestit sellaisina kuin { $name } saa ne
console-preview-frame = Kutsu kielellä { $language }
console-default-subject = Miten onnistumme? Minuutti { $org }:lle
console-default-reminder-subject = Muistutus: mielipiteesi { $org }:sta
console-default-greeting = Hei { $first },
console-default-ask = kuinka todennäköisesti suosittelisit { $org }:ta ystävälle tai kollegalle? Vastaaminen vie noin minuutin:
console-default-reminder-ask = kysyimme muutama päivä sitten mielipidettäsi { $org }:sta. Jos sinulla on minuutti aikaa, se auttaa meitä yhä paljon:
console-default-thanks = Kiitos!
console-default-opt-out = Ei enää kyselyitä meiltä:

console-tab-accounts = B2B-asiakkuudet
console-accounts-title = { $org }: B2B-asiakkuudet
console-accounts-caption = Asiakkuudet ja niiden aliasiakkuudet, { $from }–{ $to } (luvut sisältävät aliasiakkuudet)
console-col-account = Asiakkuus
console-col-trend = NPS:n muutos
console-col-churn = Poistumariski
console-no-b2b-accounts = Ei vielä B2B-asiakkuuksia. Lataa asiakkuudet, niiden yhteyshenkilöt ja asiakkuustiimit, niin ne näkyvät tässä.
console-deleted-accounts = { $count } poistettua asiakkuutta säilytetään historiaa varten, eikä niistä raportoida.
console-send-sections-hint = Kunkin asiakkuuden tiimi saa yhden sähköpostin, jossa on linkki asiakkuuden sivulle viimeisiltä 28 päivältä (kerran raporttia kohden: toinen napsautus ei lähetä mitään uudelleen).
console-send-sections = Lähetä kullekin tiimille sen asiakkuuden raportti
console-sections-sent = { $sections } asiakkuussivua tehty. Nyt sähköpostin saaneita tiimin jäseniä: { $emailed }.
console-range = Ajanjakso
console-trigger-title = Tai lähetä se itsestään tapahtuman jälkeen (laukaistu lähetys)
console-trigger-hint = Aina kun järjestelmänne ilmoittavat tapahtumasta yhteystiedolle (POST /admin/projects/…/events), tämä kutsu lähtee kyseiselle yhteystiedolle annetun päivämäärän kuluttua. Yllä olevaa listaa ja lähetysaikaa ei käytetä.
console-trigger-event = Tapahtuma
console-trigger-event-hint = Pieniä kirjaimia, numeroita ja _, esimerkiksi order_placed tai support_ticket_closed.
console-trigger-days = Päiviä tapahtuman jälkeen
console-trigger-save = Tallenna tämän tapahtuman laukaistuksi lähetykseksi
console-trigger-saved = Tallennettu: jokainen { $event } -tapahtuma ajastaa nyt tämän kutsun.
console-triggers-title = Projektin laukaistut lähetykset
console-trigger-remove = Poista
console-contact-invitations = Kutsut
console-contact-no-invitations = Mikään lähetys ei ole kutsunut tätä yhteystietoa.
console-contact-responses = Vastaukset henkilökohtaisten linkkien kautta
console-contact-no-responses = Ei vielä vastausta.
console-contact-answered = Vastattu { $at }
console-col-source = Lähde
console-list-ready = valmis
console-list-importing = tuodaan
console-list-from-upload = sen lataus ja tuonti
console-account-contacts = Asiakkuuden yhteyshenkilöt
console-account-no-contacts = Tälle asiakkuudelle ei ole tuotu yhteyshenkilöitä.
console-col-name = Nimi
console-col-title = Titteli
console-col-client-role = Rooli asiakkaalla

## the automated B2B sync (drop folder)
console-sync-link = Automaattinen synkronointi
console-sync-title = Automaattinen B2B-synkronointi — { $org }
console-sync-intro = Projektin pudotuskansioon kirjoitetut tiedostot tuodaan kuten kolme latausta, samalla sarakemäärityksellä: ensin asiakkuudet, sitten yhteystiedot, sitten tiimin jäsenet. Ajo alkaa heti, kun kaikki kolme tiedostoa ovat paikalla, tai ajastettuna aikana niillä tiedostoilla, jotka ovat paikalla. Samat tiedostot uudelleen eivät muuta mitään.
console-sync-folder = Pudotuskansio
console-sync-folder-hint = Yksi tiedosto kansiota kohden (.csv, .tsv tai .txt): accounts, contacts ja team. Ajo poistaa tuomansa tiedostot.
console-sync-copy-hint = Esimerkiksi AWS-komentorivillä:
console-sync-settings = Asetukset
console-sync-not-set = Tälle projektille ei ole vielä määritetty synkronointia: tallenna asetukset aloittaaksesi sen.
console-sync-schedule = Milloin se ajetaan
console-sync-schedule-none = Vain kun kaikki kolme tiedostoa ovat paikalla
console-sync-schedule-hourly = Myös joka tunti, paikalla olevilla tiedostoilla
console-sync-schedule-daily = Myös joka päivä alla olevaan aikaan, paikalla olevilla tiedostoilla
console-sync-at = Kellonaika (HH:MM, { $tz })
console-sync-from = Ensimmäinen päivä (valinnainen)
console-sync-new-list = Lisää kunkin ajon uudet yhteystiedot uudelle postituslistalle
console-sync-distribute = Lähetä automaattinen kutsu kunkin ajon uusille yhteystiedoille
console-sync-enabled = Synkronointi on päällä
console-sync-save = Tallenna synkronointi
console-sync-saved = Synkronointi on tallennettu.
console-sync-runs = Ajot
console-sync-no-runs = Ei vielä ajoja.
console-sync-col-started = Alkoi
console-sync-col-state = Tila
console-sync-col-files = Tiedostot
console-sync-col-result = Tulos
console-sync-trigger-drop = kun tiedostot saapuivat
console-sync-trigger-schedule = ajastuksen mukaan
console-sync-state-running = Käynnissä
console-sync-state-done = Valmis
console-sync-state-partial = Osittain tuotu
console-sync-state-failed = Epäonnistui
console-sync-file-counts = { $accepted } riviä tuotu, { $rejected } hylätty
console-sync-rejection = Rivi { $line }, { $column }: { $reason }
console-sync-new-contacts = Uusia yhteystietoja: { $count }
console-sync-distribution = Kutsut uusille yhteystiedoille aloitettu
console-sync-ignored = Ohitettu { $key }: { $reason }

console-sftp-link = SFTP-yhteys
console-sftp-title = SFTP-yhteys — { $org }
console-sftp-intro = Kumppanit ja tietoputket voivat tuoda kolme tiedostoa myös SFTP:llä: ne päätyvät tämän projektin pudotuskansioon ja tuodaan kuten pudotetut tiedostot.
console-sftp-off = Tässä pinossa ei ole SFTP-palvelinta. Ylläpitäjä ottaa sen käyttöön ottamalla pinon käyttöön asetuksella SftpEndpoint=true; se maksaa noin 0,30 USD tunnissa niin kauan kuin se on olemassa.
console-sftp-host = Palvelin
console-sftp-user = Käyttäjätunnus
console-sftp-how = Kirjaudu sisään jonkin alla olevan avaimen yksityisellä avaimella ja vie kukin tiedosto omaan kansioonsa:
console-sftp-keys = SSH-avaimet
console-sftp-no-keys = Ei vielä avainta: kukaan ei voi kirjautua.
console-sftp-col-type = Tyyppi
console-sftp-col-fingerprint = Sormenjälki
console-sftp-col-added = Lisätty
console-sftp-remove = Poista
console-sftp-remove-key = Poista avain { $fingerprint }
console-sftp-add = Lisää avain
console-sftp-public-key = Julkinen avain
console-sftp-public-key-hint = Yksi rivi .pub-tiedostosta, esimerkiksi ssh-ed25519 AAAA… nimi@kone (ssh-keygen -t ed25519 luo avainparin).
console-sftp-add-button = Lisää avain
console-sftp-added = Avain on lisätty: sen haltija voi nyt kirjautua.
console-sftp-removed = Avain on poistettu: sillä ei enää kirjauduta.
console-sftp-err-empty = Liitä julkinen avain.
console-sftp-err-private = Tämä on yksityinen avain: liitä sen sijaan julkinen avain (.pub-tiedosto) ja pidä yksityinen avain itselläsi.
console-sftp-err-type = Tuntematon avaintyyppi { $type }: käytä tyyppiä ssh-ed25519, ssh-rsa tai ecdsa-sha2-nistp256/384/521.
console-sftp-err-body = Avain on vioittunut (katkesiko se tai jakautuiko se usealle riville?).
console-sftp-err-weak = RSA-avaimessa on oltava vähintään 2048 bittiä; tässä on { $bits }. Luo uusi komennolla ssh-keygen -t ed25519.
console-sftp-err-exists = Tämä avain on jo lisätty.
console-sync-source = Lähde
console-sync-source-drop = Pudotuskansio (tiedostot)
console-sync-source-salesforce = Salesforce
console-sync-sf-intro = Jokainen ajo lukee organisaatiosta Account-, Contact- ja AccountTeamMember-tiedot, vain edellisen onnistuneen ajon jälkeen muuttuneet rivit (myös poistetut), ja lataa ne kuten kolme tiedostoa. Epäonnistunut ajo ei lataa mitään ja jättää aiemmat tiedot ennalleen.
console-sync-sf-url = Salesforce-osoite (https://…my.salesforce.com)
console-sync-sf-flow = Miten yhdistetty sovellus kirjautuu
console-sync-sf-client-credentials = Asiakastunnukset (kuluttaja-avain ja -salaisuus)
console-sync-sf-jwt = JWT bearer (varmenteen yksityinen avain)
console-sync-sf-username = Salesforce-käyttäjätunnus (vain JWT bearer)
console-sync-secret = Yhdistetyn sovelluksen salaisuus
console-sync-secret-set = Tallennettu, muutettu viimeksi { $at }.
console-sync-secret-not-set = Ei vielä tallennettu: synkronointi ei voi kirjautua Salesforceen.
console-sync-secret-hint = Säilytetään vain AWS Secrets Managerissa eikä sitä näytetä enää; uusi korvaa sen.
console-sync-client-id = Kuluttaja-avain
console-sync-client-secret = Kuluttajan salaisuus (asiakastunnukset)
console-sync-private-key = Yksityinen avain PEM-muodossa (JWT bearer)
console-sync-secret-save = Tallenna salaisuus
console-sync-secret-saved = Salaisuus on tallennettu.
console-sync-run-now = Suorita nyt
console-sync-queued = Ajo on jonossa; lataa sivu uudelleen nähdäksesi sen alla.
console-sync-trigger-manual = käynnistetty käsin
console-sync-since = Muutokset { $since } jälkeen
console-sync-object-counts = { $object }: { $records } tietuetta ({ $deleted } poistettu), { $pages } sivua

## The console's help and status section (render::keys::CONSOLE_HELP)
console-nav-help = Ohjeet ja tila
console-help-pages = Ohje- ja tilasivut
console-help-checklist = Ensimmäisen pulssin tarkistuslista
console-help-checklist-intro = Jokainen vaihe merkitään tehdyksi itsestään heti, kun pino näyttää sen tehdyksi: mitään ei merkitä käsin.
console-help-progress = { $done }/{ $total } vaihetta tehty
console-help-status = Pinon tila
console-help-data = Tämän asennuksen tiedot ja tietoturva
console-help-bundle = Tukipaketti
console-help-bundle-intro = Tiedosto vikailmoituksen liitteeksi: versiot, asetukset ilman salaisuuksia (pois jätettyjen nimet luetellaan), tilatarkistukset ja viimeisimmät virheet pyyntötunnuksineen. Siinä ei ole osoitteita.
console-help-bundle-download = Lataa tukipaketti (JSON)
console-help-bundle-admins = Vain ylläpitäjät voivat ladata tukipaketin.
console-step-done = Tehty
console-step-open = Ei vielä
console-step-unknown = Tuntematon: SES ei vastannut
console-step-sender = Lähettäjän osoite on vahvistettu SES:ssä
console-step-sender-next = Vahvista { $sender } (tai sen verkkotunnus) SES:ssä: tilasivu kertoo miten.
console-step-sandbox = SES ei ole enää hiekkalaatikossa
console-step-sandbox-next = Pyydä AWS:ltä tuotantokäyttöoikeus (SES-konsoli, tilin koontinäyttö); siihen asti kutsuja saavat vain vahvistetut osoitteet.
console-step-project = Ensimmäinen projekti on luotu
console-step-project-next = Luo projekti ohjatulla käyttöönotolla.
console-step-upload = Ensimmäinen yhteystietojen lataus on valmis
console-step-upload-next = Lataa yhteystietoluettelo projektiin.
console-step-send = Ensimmäinen lähetys on tehty
console-step-send-next = Kirjoita kutsut luettelolle ja lähetä ne.
console-step-report = Ensimmäinen raportti on luotu
console-step-report-next = Luo raportti projektin koontinäytöltä.
console-status-resources = Taulut, säilö ja jonot
console-status-col-resource = Resurssi
console-res-core-table = Päätaulu (projektit, linkit, lähetykset, budjetit)
console-res-contacts-table = Yhteystietotaulu
console-res-responses-table = Vastaustaulu
console-res-data-bucket = Datasäiliö (tiedostot ja raportit)
console-res-send-queue = Lähetysjono
console-res-import-queue = Tuontijono
console-res-report-queue = Raporttijono
console-status-col-name = Nimi
console-status-col-state = Tila
console-status-answers = Vastaa
console-status-silent = Ei vastaa
console-status-all-ok = Kaikki taulut, säilö ja kaikki jonot vastaavat.
console-status-not-all-ok = { $count ->
        [one] Yksi resurssi ei vastaa: katso alta.
       *[other] { $count } resurssia ei vastaa: katso alta.
    }
console-status-dead-letters = Epäonnistuneiden viestien jonot
console-status-dead-intro = Tässä oleva viesti on työ, joka epäonnistui uusintayritysten jälkeen: lue se, korjaa syy funktion lokien avulla ja palauta se sitten jonoonsa.
console-status-col-waiting = Odottavat viestit
console-status-unreadable = Ei luettavissa
console-status-ses = Sähköposti (SES)
console-status-sender = Lähettäjä
console-status-verified = vahvistettu
console-status-not-verified = ei vahvistettu: SES hylkää jokaisen siitä lähetetyn sähköpostin. Vahvista se komennolla aws sesv2 create-email-identity --email-identity { $sender } ja avaa SES:n lähettämä linkki, tai vahvista sen verkkotunnus.
console-status-sandbox = Hiekkalaatikko
console-status-in-sandbox = Hiekkalaatikossa: sähköpostia saavat vain vahvistetut osoitteet, enintään 200 päivässä. Pyydä tuotantokäyttöoikeutta SES-konsolista (tilin koontinäyttö).
console-status-out-of-sandbox = Ei hiekkalaatikossa: kenet tahansa voi kutsua
console-status-paused = Lähetys on keskeytetty tältä AWS-tililtä: SES ei lähetä mitään ennen kuin se jatkuu.
console-status-quota = Lähetyskiintiö
console-status-quota-value = { $day } sähköpostia päivässä, { $rate } sekunnissa; { $sent } lähetetty viimeisen 24 tunnin aikana
console-status-rate = Asetettu lähetysnopeus
console-status-rate-value = { $rate } sähköpostia sekunnissa (SesSendRate)
console-status-rate-too-high = Asetettu nopeus { $configured } sekunnissa ylittää SES:n { $quota } sekunnissa: SES hidastaa lähetystä. Asenna niin, että SesSendRate on enintään { $quota }, tai pyydä AWS:ltä suurempi kiintiö.
console-status-ses-unreadable = SES-tiliä ei voitu lukea: hiekkalaatikko ja kiintiö ovat tuntemattomat.
console-status-schedules = Ajastukset
console-status-no-schedules = Pino ei nimeä ajastuksia.
console-status-col-rule = Sääntö
console-status-col-when = Milloin
console-status-enabled = Käytössä
console-status-disabled = Pois käytöstä: ei käynnisty itsestään
console-status-version = Versio
console-status-build = Koontiversio
console-status-no-build = ei tallennettu koontihetkellä
console-data-intro = Luotu mallista, josta tämä asennus tehtiin, ja asetuksista, joilla se toimii: se muuttuu niiden mukana.
console-data-section-stores = Missä henkilötietoja säilytetään
console-data-section-queues = Jonot
console-data-section-logs = Lokit
console-data-section-links = Linkit ja istunnot
console-data-col-store = Jono
console-data-col-what = Henkilötiedot
console-data-col-kept = Säilytys
console-data-col-encrypted = Salaus
console-data-col-reach = Kuka pääsee niihin
console-data-what-core = Projektit ja niiden kyselyt, linkit (avainnettuina tiivisteinä), lähetykset ja kunkin kutsun tulos, raporttien tekstit, konsolin tallentamat virheet (ei osoitteita). Henkilökohtainen linkki nimeää yhteyshenkilönsä.
console-data-what-contacts = Yhteystiedot: sähköpostiosoite, nimi, kieli ja ladatun tiedoston sarakkeet; luettelojäsenyydet; estot (poiston jälkeen tiivisteenä).
console-data-what-responses = Vastaukset: pisteet, vapaatekstivastaukset ja vastaajan yhteystiedot, kun kysely oli henkilökohtainen.
console-data-what-bucket = Ladatut yhteystietotiedostot ja niiden hylätyt rivit, B2B-pudotuskansion tiedostot, Salesforcesta haetut rivit, logot ja luodut raportit.
console-data-what-queue = Keskeneräinen työ (kutsuerät, tuontien jatko-osat, raportti- ja poistotehtävät): viesti voi sisältää osoitteita, kunnes se on käsitelty.
console-data-what-dead-letters = Epäonnistunut työ sellaisenaan: se voi sisältää osoitteita, kunnes se luetaan ja palautetaan tai poistetaan.
console-data-undescribed = Ei kuvattu: tämä asiakirja ei tiedä, mitä malli säilyttää tässä.
console-data-ttl = DynamoDB poistaa vanhenevat kohteet ({ $attribute }) vanhenemisen jälkeen; muut säilyvät, kunnes ne poistetaan (projektin tai yhteystiedon poisto).
console-data-no-ttl = Kunnes ne poistetaan (projektin tai yhteystiedon poisto).
console-data-pitr = Palautus ajankohtaan säilyttää jokaisen muutoksen 35 päivää.
console-data-stream = Muutokset kulkevat sen virran kautta, joka säilyttää ne 24 tuntia.
console-data-expires = { $prefix }: poistetaan { $days ->
        [one] yhden päivän
       *[other] { $days } päivän
    } jälkeen
console-data-bucket-rest = Logot ja raportit: kunnes ne poistetaan (raportin tai projektin poisto, yhteystiedon poisto).
console-data-old-versions = Korvattujen tai poistettujen tiedostojen vanhat versiot: { $days ->
        [one] yksi päivä
       *[other] { $days } päivää
    }
console-data-queue-kept = enintään { $days ->
        [one] yhden päivän
       *[other] { $days } päivää
    }
console-data-enc-dynamo-default = Levossa AWS:n omistamalla avaimella (DynamoDB:n oletus); siirrossa TLS:llä.
console-data-enc-kms = Levossa KMS-avaimella; siirrossa TLS:llä.
console-data-enc-sse = Levossa ({ $algorithm }).
console-data-tls-only = Jokainen pyyntö vain TLS:llä.
console-data-public-blocked = Ei julkista pääsyä.
console-data-enc-queue = Levossa (SQS:n hallitsemat avaimet)
console-data-enc-none = Ei salattu levossa
console-data-whole-bucket = koko säilö
console-data-reach-iam = sekä ne, joille AWS-tilin IAM-käytännöt sen sallivat (sen ylläpitäjät).
console-data-logs-note = Funktioiden lokeissa on pyyntötunnuksia ja lukumääriä, ei koskaan osoitteita, nimiä tai vapaata tekstiä. Kunkin funktion lokiryhmä säilyttää ne:
console-data-logs-kept = { $days ->
        [one] yksi päivä
       *[other] { $days } päivää
    }
console-data-link-personal = Henkilökohtainen kyselylinkki toimii oletuksena { $days ->
        [one] yhden päivän
       *[other] { $days } päivää
    } (kukin projekti asettaa omansa).
console-data-link-share = Raportin jakolinkki toimii { $days ->
        [one] yhden päivän
       *[other] { $days } päivää
    }, ellei sitä peruuteta.
console-data-link-account = Sähköpostin asiakasosion linkki toimii { $days ->
        [one] yhden päivän
       *[other] { $days } päivää
    }.
console-data-session = Konsoli-istunto kestää enintään { $hours } tuntia; sen evästeet ovat HttpOnly, Secure ja SameSite=Strict.
