import { SignInForm } from "./monitor/_components/sign-in-form";

/** 401 from an admin page (/monitor) opened without the admin token. */
export default function Unauthorized() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>Admin token required</h1>
        <p>This page shows production traces. Sign in with the server&apos;s ADMIN_TOKEN.</p>
      </header>
      <SignInForm />
    </main>
  );
}
