"""The first texts of the required pages (privacy, accessibility, contact), in Markdown.

The migration that creates the pages stores these; from then on administrators edit them in
the admin. The accessibility statement follows the Dutch model statement
(digitoegankelijk.nl, "modelverklaring") with the results of the automated checks.
"""

PRIVACY = """\
Bouwplaats is het platform waarop ministeries, regio's, gemeenten, marktpartijen en bewoners
samen programma's uitvoeren. In deze verklaring leest u welke persoonsgegevens Bouwplaats
verwerkt, waarom, hoe lang, en welke rechten u heeft.

## Welke gegevens

- **Uw account**: naam, e-mailadres, functie en de organisatie die u opgeeft; of u lid bent
  van een organisatie en wie dat heeft goedgekeurd.
- **Sessies**: uw aanmeldingen, antwoorden op de vragen bij een aanmelding, en uw reacties,
  foto's en documenten in een sessieruimte.
- **Nieuwsflits**: uw naam en e-mailadres als belangstellende, en wanneer u zich aan- of
  afmeldde.
- **Oproepen en pilots**: wat u namens uw organisatie indient, beoordeelt of rapporteert.
- **Kennis**: uw vragen, antwoorden en stemmen.
- **Werk-met-werk**: de werken die u invoert, met de contactgegevens die u daarbij noemt, en
  straten die u volgt.
- **Logboek**: wie wanneer iets van belang deed (bijvoorbeeld een export van een deelnemerslijst).

## Waarom

Om samenwerking binnen programma's van het publieke domein mogelijk te maken: sessies
organiseren, deelnemers informeren, kennis delen en werken in de openbare ruimte op elkaar
afstemmen. De grondslag is de uitvoering van een taak van algemeen belang (AVG artikel 6 lid
1 sub e); voor de nieuwsflits en het volgen van een straat is dat uw toestemming (sub a), die u
met één klik intrekt via de afmeldlink in elke e-mail.

## Hoe lang

Zolang u een account heeft. Verwijdert u uw account, dan verwijdert Bouwplaats uw
persoonsgegevens; wat u namens een organisatie vastlegde (een werk, een ingediend project)
blijft bestaan zonder uw naam.

## Uw rechten

- **Inzage**: op uw profiel downloadt u onder "Mijn gegevens" alles wat Bouwplaats over u
  bewaart: een leesbaar overzicht (ook als PDF), de gegevens als JSON en uw foto's en
  documenten in één ZIP-bestand.
- **Correctie**: uw naam, functie en organisatie wijzigt u zelf op uw profiel.
- **Verwijderen**: op uw profiel kiest u "Account verwijderen".
- **Klacht**: bent u het niet eens met hoe Bouwplaats met uw gegevens omgaat, neem dan
  contact op (zie de contactpagina). U kunt ook een klacht indienen bij de
  [Autoriteit Persoonsgegevens](https://autoriteitpersoonsgegevens.nl/).

## Delen met anderen

Bouwplaats verkoopt geen gegevens en deelt ze niet met anderen dan nodig voor het doel: de
host van een sessie ziet wie zich aanmeldde, de eigenaar van een werk ziet wie een
combinatieverzoek stuurde. E-mail gaat via de mailserver van de beheerder.
"""

ACCESSIBILITY = """\
Bouwplaats wil toegankelijk zijn voor iedereen, volgens de Europese norm EN 301 549 en de
Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, zoals het Besluit digitale
toegankelijkheid overheid vraagt.

## Status

Bouwplaats **voldoet gedeeltelijk** aan de eisen (status B van de modelverklaring): uit
automatisch onderzoek blijkt dat aan alle geteste eisen wordt voldaan; een onderzoek door een
deskundige partij moet nog plaatsvinden, en enkele onderdelen hebben bekende beperkingen
(hieronder).

## Onderzoek

- **Automatisch**: elke pagina van het platform wordt bij elke wijziging getest met axe-core
  in de browser Chromium, op de regels van WCAG 2.1 niveau A en AA, op een breed scherm en
  op de breedte van een telefoon (360 en 390 pixels). Resultaat: **0 overtredingen**. Op een
  telefoon hoeft op geen enkele pagina zijwaarts te worden gescrold.
- **Toetsenbord**: de belangrijkste taken (aanmelden voor een sessie, een formulier
  invullen, een straat zoeken) zijn getest met alleen het toetsenbord.
- **Handmatig onderzoek** door een deskundige partij: nog niet uitgevoerd.

## Bekende beperkingen

- **Kaarten**: de werk-met-werk-kaart is met het toetsenbord te verschuiven, maar niet elk
  werk is op de kaart met het toetsenbord te kiezen. Dezelfde werken staan in een lijst onder
  de kaart en op de pagina "Lijst".
- **Tekenen op de kaart**: een werk intekenen kan alleen met muis of aanraakscherm. Zonder
  muis plakt u de ligging als GeoJSON in het veld Geometrie; organisaties kunnen werken ook
  via de API aanleveren.
- **Documenten van deelnemers**: documenten en foto's die deelnemers uploaden zijn niet
  altijd toegankelijk; de host vraagt om een toegankelijke versie als dat nodig is.

## Feedback en contact

Loopt u tegen een toegankelijkheidsprobleem aan? Meld het via de contactpagina. U krijgt
binnen 5 werkdagen een ontvangstbevestiging en binnen 3 weken een inhoudelijke reactie.

## Handhavingsprocedure

Bent u niet tevreden met de reactie, dan kunt u zich wenden tot de
[Nationale ombudsman](https://www.nationaleombudsman.nl/).
"""

CONTACT = """\
Vragen over Bouwplaats, een sessie, de nieuwsflits of werk in uw straat? Neem contact op met
het beheer van het platform.

- **E-mail**: [beheer@bouwplaats.nl](mailto:beheer@bouwplaats.nl)
- **Reactietermijn**: binnen 5 werkdagen

Vragen over een sessie stelt u het snelst aan de host van die sessie (op de pagina van de
sessie). Vragen over een werk in uw straat stelt u aan de eigenaar van het werk: het
contact staat bij het werk op de pagina "Werk in uw straat".

Problemen met de toegankelijkheid of met uw gegevens? Zie ook de toegankelijkheidsverklaring
en de privacyverklaring.
"""

DEFAULTS = {
    "privacyverklaring": ("Privacyverklaring", PRIVACY),
    "toegankelijkheid": ("Toegankelijkheidsverklaring", ACCESSIBILITY),
    "contact": ("Contact", CONTACT),
}
