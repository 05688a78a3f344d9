/** Four tiny corpora, one per language, for tests. */
export const TINY_CORPORA = {
  en: [
    "The quick brown fox jumps over the lazy dog. The weather is nice today and the children play outside.",
    "Open the file menu and choose save to keep your work. The document will be stored in your home folder.",
    "She said that the train would arrive at noon, but it was late again because of the snow.",
    "Knowledge distillation trains a small student model to imitate a large teacher model.",
  ],
  fr: [
    "Le renard brun rapide saute par-dessus le chien paresseux. Il fait beau aujourd'hui et les enfants jouent dehors.",
    "Ouvrez le menu fichier et choisissez enregistrer pour garder votre travail. Le document sera stocké dans votre dossier.",
    "Elle a dit que le train arriverait à midi, mais il était encore en retard à cause de la neige.",
    "La distillation des connaissances entraîne un petit modèle élève à imiter un grand modèle enseignant.",
  ],
  de: [
    "Der schnelle braune Fuchs springt über den faulen Hund. Heute ist schönes Wetter und die Kinder spielen draußen.",
    "Öffnen Sie das Menü Datei und wählen Sie Speichern, um Ihre Arbeit zu behalten. Das Dokument wird in Ihrem Ordner gespeichert.",
    "Sie sagte, dass der Zug um zwölf Uhr ankommen würde, aber er hatte wegen des Schnees wieder Verspätung.",
    "Die Wissensdestillation trainiert ein kleines Schülermodell, ein großes Lehrermodell nachzuahmen.",
  ],
  py: [
    "def add(a, b):\n    return a + b\n\nprint(add(1, 2))",
    "import os\n\nfor name in os.listdir('.'):\n    if name.endswith('.py'):\n        print(name)",
    "class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, item):\n        self.items.append(item)",
    "try:\n    value = int(text)\nexcept ValueError:\n    value = None\nfinally:\n    done = True",
  ],
} as const;

export const ALL_TEXT = Object.values(TINY_CORPORA).flat();
