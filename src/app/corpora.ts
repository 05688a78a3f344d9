/** The bundled corpora, as the tabs that train on them fetch them. */
import { fetchBytes } from "../ml/fetch";
import { translate } from "./i18n";
import { whyOf } from "./i18n/problems";
import { classNameIn } from "./languages";

/**
 * The text of the corpus at `url` (`label`: its name in messages). A download that stalls is cut
 * after 20 s without data and retried (src/ml/fetch.ts), so a start-up never waits for ever.
 */
export async function fetchCorpus(url: string, label: string): Promise<string> {
  try {
    return new TextDecoder().decode(await fetchBytes(url));
  } catch (e) {
    throw new Error(
      translate("corpus.failed", {
        corpus: classNameIn(translate, label),
        why: whyOf(e),
      }),
    );
  }
}
