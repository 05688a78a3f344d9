/** Performance marks the page sets for the benchmarks (a module of its own: Node scripts read it). */

/** The page's first routing decision (`npm run bench -- --browser` reads it). */
export const FIRST_DECISION_MARK = "mome-lab:first-routing-decision";
