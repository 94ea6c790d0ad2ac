import { SignInForm } from "./monitor/_components/sign-in-form";

/** 403 from an admin page: a wrong token, or no ADMIN_TOKEN configured on the server. */
export default function Forbidden() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>Admin token refused</h1>
        <p role="alert">The token is wrong, or this server has no ADMIN_TOKEN (16 characters or more) set.</p>
      </header>
      <SignInForm />
    </main>
  );
}
