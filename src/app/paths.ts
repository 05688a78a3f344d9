/** Where the site's data lives, relative to index.html, so it works from any sub-path. */
export const MODELS_URL = new URL("models/", document.baseURI).href;
export const corpusUrl = (language: string) =>
  new URL(`corpora/${language}.txt`, document.baseURI).href;
