/**
 * Knowledge-base questions for `npm run bench:guards`, written for the benchmark about
 * data/corpus and kept out of evals/datasets, so the figures are not tuned on the eval sets.
 * Most are answerable; a few ask what the documents do not say, because the guard's cost and
 * its verdicts differ there (an abstention skips the model entirely). Product-spec questions
 * ("What chemistry does the PowerCell P3 use?") were dropped: the router sends them to the
 * sales database, where no answer check runs.
 */
export const GUARD_QUESTIONS = [
  "How many days do I have to submit an expense claim in Ledgerly?",
  "Above what amount does an expense need an itemized receipt?",
  "How far in advance should flights be booked under the travel policy?",
  "Which travel platform do we use to book hotels?",
  "Which email address handles expense questions?",
  "How much does the PowerCell P3 weigh?",
  "How many weeks of paid parental leave does a primary caregiver get?",
  "How do I report a security vulnerability to ACME?",
  "Which webhook events can I subscribe to?",
  "What does a SEV1 incident mean?",
  "What prefix does a webhook signing secret start with?",
  "Which severity is a support ticket when production is stopped?",
  "How many battery packs does the Roadrunner R200 use?",
  "What happens on the first day of onboarding?",
  "Who approves travel to customer sites in APAC?",
  "How long does a manager have to approve an expense claim?",
  "How fast does ACME respond to an S1 ticket on Basic support?",
  "Can I expense gym fees on a business trip?",
  "What is the meal per diem on a trip to Tokyo?",
  "What is the dress code at the Amsterdam office?",
  "How long a sabbatical can an employee take after five years?",
];
