/**
 * Knowledge-base questions for `npm run bench:guards`, written for the benchmark about
 * data/corpus and kept out of evals/datasets, so the figures are not tuned on the eval sets.
 * Most are answerable; a few ask what the documents do not say, because the guard's cost and
 * its verdicts differ there (an abstention skips the model entirely).
 */
export const GUARD_QUESTIONS = [
  "How many days do I have to submit an expense claim in Ledgerly?",
  "Above what amount does an expense need an itemized receipt?",
  "How far in advance should flights be booked under the travel policy?",
  "Which travel platform do we use to book hotels?",
  "What is the capacity of the PowerCell P3 battery pack?",
  "How much does the PowerCell P3 weigh?",
  "How many weeks of paid parental leave does a primary caregiver get?",
  "When did the Amsterdam fulfilment hub open?",
  "Which fulfilment center serves North America?",
  "What does a SEV1 incident mean?",
  "What prefix does a webhook signing secret start with?",
  "Which severity is a support ticket when production is stopped?",
  "How many battery packs does the Roadrunner R200 use?",
  "What chemistry does the PowerCell P3 use?",
  "Who approves travel to customer sites in APAC?",
  "How long does a manager have to approve an expense claim?",
  "What is the nominal voltage of the P3 battery?",
  "Can I expense gym fees on a business trip?",
  "What is the meal per diem on a trip to Tokyo?",
  "What is the dress code at the Amsterdam office?",
  "How long a sabbatical can an employee take after five years?",
];
