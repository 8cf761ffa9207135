// The board's question before a change (`store/ask.ts`): moving or resizing
// a confirmed booking. An alert dialog whose safe button has the focus;
// Escape keeps things as they are.

import * as store from "../store.js";
import { useBoard } from "../store.js";

export function AskDialog() {
  const ask = useBoard((st) => st.ask);
  if (!ask) return null;
  return (
    <div
      className="dialog-backdrop"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          store.answerAsk(false);
        }
      }}
    >
      <div className="dialog dialog--small" role="alertdialog" aria-modal="true" aria-labelledby="ask-title" aria-describedby="ask-text" data-testid="confirm">
        <h2 id="ask-title">{ask.title}</h2>
        <p id="ask-text">{ask.text}</p>
        <div className="dialog__actions">
          <button type="button" onClick={() => store.answerAsk(false)} autoFocus>
            Keep it
          </button>
          <button type="button" className="primary" onClick={() => store.answerAsk(true)}>
            {ask.action}
          </button>
        </div>
      </div>
    </div>
  );
}
