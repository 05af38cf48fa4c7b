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
