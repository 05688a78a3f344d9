/**
 * The guided lessons' steps: what each says, the settings it applies and the control it points
 * at. Data only, so that the settings table can count them (lessons.ts applies them).
 */
import { EXAMPLES } from "./languages";

export interface LessonStep {
  title: string;
  /** At most 80 words (checked by a test). */
  text: string;
  /** Settings the step applies (lessons.ts checks them against the settings table). */
  settings: Readonly<Record<string, string | number>>;
  /** A CSS selector of the control the step is about (highlighted). */
  highlight: string;
}

export const LESSON = [
  {
    title: "One teacher, many experts",
    text: "A large language model knows many languages, but it is slow and every user pays for all of them. Mixture of Modular Experts keeps one big teacher for training only, and ships small experts, one per language, plus a router that picks the expert. Adding a language means adding an expert: the others stay untouched.",
    settings: { panel: "about" },
    highlight: ".model-diagram",
  },
  {
    title: "The router decides as you type",
    text: "Type or change the text: the router reads its tokens and short runs of characters, and picks English, French, German or Python, or none of these. Each token is coloured by the language it pushed toward. Try a Spanish sentence: no expert is confident, so the common expert takes it.",
    settings: { panel: "route", text: EXAMPLES.fr },
    highlight: 'textarea[aria-label="Text to route"]',
  },
  {
    title: "Teacher and student, side by side",
    text: "Generate: the teacher and the routed student continue the same prompt. The shading under the student's tokens is the KL divergence from the teacher: dark where the student disagrees with what the teacher would have said. A distilled student agrees more often than its size suggests.",
    settings: { panel: "compare", prompt: "Pour insérer un tableau, " },
    highlight: '[data-lesson="generate"]',
  },
  {
    title: "Does the teacher help?",
    text: "Two students of the same size learn from the same batches: one from the text alone (CE only), the other from the text and the teacher (distilled). Start the race and watch validation perplexity: the distilled student learns faster and ends lower, because the teacher's whole distribution says more than one next token. The dashed lines are a recorded run of this race.",
    settings: { panel: "train", race: "distil=off;distil=on", recorded: "on" },
    highlight: 'section[aria-label="Race"]',
  },
  {
    title: "A race: fixed α against adaptive α",
    text: "A student learns from the text (cross-entropy) and from the teacher (KD), weighted α and β. The paper's adaptive rule lowers the weight of a loss that has recently risen. Start the race: two students train on the same batches, one with α fixed at 0.5, one adaptive. The dashed lines are a recorded run of this race.",
    settings: { panel: "train", race: "alphaMode=fixed;alphaMode=adaptive", recorded: "on" },
    highlight: 'section[aria-label="Race"]',
  },
  {
    title: "Which KD loss?",
    text: "Forward KL asks the student to cover everything the teacher thinks likely; reverse KL lets it pick the teacher's favourite; the paper's code used a cross-entropy against the teacher's distribution. Choose one and train a student: the chart shows CE and KD separately.",
    settings: { panel: "train", kdLoss: "forward" },
    highlight: '[data-setting="kdLoss"]',
  },
  {
    title: "Forgetting",
    text: "Train one student on English, then French, German and Python in turn, and it forgets the earlier languages: their perplexity climbs. Train it on all of them at once, or train one expert per language, and nothing is forgotten. Run the experiment (about a minute); the dashed lines are a recorded run.",
    settings: { panel: "forget", recorded: "on" },
    highlight: '[data-lesson="forget-run"]',
  },
  {
    title: "Adding a language",
    text: "Add Spanish: the router learns a fifth class, and a new expert is trained for it. The four existing experts are not touched (their weights' hashes stay the same), while a single shared model fine-tuned on Spanish forgets the others.",
    settings: { panel: "add", add: "es" },
    highlight: '[data-lesson="add-language"]',
  },
  {
    title: "What the paper found, and what we measure",
    text: "The paper found adaptive α about as good as a fixed one, a combined loss slightly better than alternating, a router at 99.95 %, and no forgetting with separate experts. The table shows this lab's own models, trained on Debian's manuals and Python's library: compare each expert with the teacher.",
    settings: { panel: "about" },
    highlight: 'table[aria-label="Validation perplexity of the shipped models"]',
  },
] as const satisfies readonly LessonStep[];
