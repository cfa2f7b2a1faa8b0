package dev.voxgate.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.voxgate.testkit.EnglishTextNormalizer.normalize;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class EnglishTextNormalizerTest {

    @Test
    void writtenAndSpokenFormsMeet() {
        String written = normalize("Mr. Smith paid $20 on the 3rd.");
        assertThat(written).isEqualTo("mister smith paid 20 dollars on the 3rd");
        assertThat(normalize("mister smith paid twenty dollars on the third")).isEqualTo(written);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            forty two                                  | 42
            forty-two line Bible                       | 42 line bible
            the 42-line Bible                          | the 42 line bible
            fourteen fifty five                        | 1455
            about 1455.                                | about 1455
            one thousand four hundred and fifty five   | 1455
            one thousand four hundred fifty-five       | 1455
            nineteen sixty one                         | 1961
            nineteen oh five                           | 1905
            nineteen hundred                           | 1900
            twenty twenty                              | 2020
            two thousand and five                      | 2005
            a hundred men                              | 100 men
            one hundred men                            | 100 men
            five million people                        | 5000000 people
            5 million people                           | 5000000 people
            three point one four                       | 3.14
            it was 3.14                                | it was 3.14
            1,000 years                                | 1000 years
            one thousand years                         | 1000 years
            go forward ten meters                      | go forward 10 meters
            Go forward 10 metres.                      | go forward 10 meters
            eight of spades, four of clubs             | 8 of spades 4 of clubs
            twentieth century                          | 20th century
            the 20th century                           | the 20th century
            the fifteenth century                      | the 15th century
            twenty first birthday                      | 21st birthday
            one hundred and first                      | 101st
            the eleventh hour                          | the 11th hour
            at first                                   | at 1st
            wait a second                              | wait a second
            twenty second                              | 22nd
            three thirty                               | 3 30
            3:30                                       | 3 30
            5% of it                                   | 5 percent of it
            five per cent of it                        | 5 percent of it
            $1.50                                      | 1 dollars 50 cents
            one dollar fifty cents                     | 1 dollars 50 cents
            £5                                         | 5 pounds
            """)
    void numbersBecomeDigits(String in, String out) {
        assertThat(normalize(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Mr. John Dashwood                | mister john dashwood
            Mrs. Jennings                    | missus jennings
            Dr. Watson                       | doctor watson
            Dr Watson                        | doctor watson
            St. Paul's Cathedral             | saint paul's cathedral
            St Louis                         | saint louis
            He lives on Baker St.            | he lives on baker street
            Gen. Grant                       | general grant
            the general store                | the general store
            """)
    void titlesAreSpelledOut(String in, String out) {
        assertThat(normalize(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            stuff it into you, his belly counselled him  | stuff it into you his belly counseled him
            its splendours                               | its splendors
            the colour of the neighbour's house          | the color of the neighbor's house
            she apologised and realised                  | she apologized and realized
            the centre of the theatre                    | the center of the theater
            travelling travellers                        | traveling travelers
            grey defence programme                       | gray defense program
            he was compelled and expelled                | he was compelled and expelled
            a promise to advertise                       | a promise to advertise
            """)
    void britishSpellingBecomesAmerican(String in, String out) {
        assertThat(normalize(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Lord, but I'm glad to see you again, Phil.  | lord but i am glad to see you again phil
            lord but i'm glad to see you again phil     | lord but i am glad to see you again phil
            God bless 'em, I hope I'll go on            | god bless them i hope i will go on
            god bless em i hope i'll go on              | god bless them i hope i will go on
            many people don't think                     | many people do not think
            I won't, I can't, I cannot                  | i will not i can not i can not
            it's what they've said                      | it is what they have said
            the neighbor's house                        | the neighbor's house
            """)
    void contractionsAreExpandedTheSameWayOnBothSides(String in, String out) {
        assertThat(normalize(in)).isEqualTo(out);
    }

    @Test
    void punctuationCaseAccentsAndHesitationsGo() {
        assertThat(normalize("  Um, the café — “naïve” résumé?! Uh... OK.  ")).isEqualTo("the cafe naive resume okay");
        assertThat(
                normalize(
                        "The cabbage juice changes color depending on how acidic or basic (alkaline) the chemical is."))
                .isEqualTo("the cabbage juice changes color depending on how acidic or basic alkaline the chemical is");
        assertThat(normalize("Ask not what your country can do for you; ask what you can do for your country."))
                .isEqualTo("ask not what your country can do for you ask what you can do for your country");
    }

    @Test
    void emptyAndNullAreEmpty() {
        assertThat(normalize(null)).isEmpty();
        assertThat(normalize("  ... ")).isEmpty();
        assertThat(EnglishTextNormalizer.words("")).isEmpty();
    }

    @Test
    void isIdempotent() {
        for (String s : new String[] {"Mr. Smith paid $20 on the 3rd.", "fourteen fifty five", "I'm glad, Phil",
                "5%"}) {
            assertThat(normalize(normalize(s))).isEqualTo(normalize(s));
        }
    }
}
