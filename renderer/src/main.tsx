// Renderer entry. The admin screens (wizards, domains, users, ...) arrive with the GUI issue; until
// then this shows that the shell loads.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>Mailroom</h1>
      <p>The admin screens are not built yet. Use the <code>mailroom</code> command meanwhile.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
