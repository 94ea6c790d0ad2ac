import { Chat } from "./_components/chat";

export default function HomePage() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>ACME Assistant</h1>
        <p>Answers from the ACME Corp knowledge base, with sources.</p>
      </header>
      <Chat />
    </main>
  );
}
