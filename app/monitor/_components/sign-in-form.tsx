/** The admin sign-in of /monitor (a plain form: it works before any script loads). */
export function SignInForm() {
  return (
    <form method="post" action="/api/admin/session" className="review-login">
      <label>
        Admin token <input type="password" name="token" autoComplete="off" required />
      </label>
      <button type="submit">Open monitor</button>
    </form>
  );
}
