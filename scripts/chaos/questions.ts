/** Questions on the agent's main routes (knowledge base, sales, code, calculator): each needs the model for seconds. */
export const MIXED_QUESTIONS = [
  "How long do I have to return a product?",
  "What were Q3 sales for ACME Corp?",
  "Write a function that reverses a string and test it",
  "What does the rocket skate warranty cover?",
  "Which region had the highest revenue in Q3?",
  "How much is express shipping?",
] as const;

/** The i-th question, round the list. */
export const mixedQuestion = (i: number): string => MIXED_QUESTIONS[i % MIXED_QUESTIONS.length]!;
