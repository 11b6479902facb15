import { css } from 'lit';

/** The modal dialog look shared by the dialog elements (lightbox, pickers, confirm, lists). */
export const dialogStyles = css`
  dialog {
    padding: 0;
    border: 1px solid var(--_im-border);
    border-radius: var(--_im-radius);
    background: var(--_im-bg);
    color: var(--_im-text);
    width: min(28rem, calc(100vw - 2rem));
    max-height: min(36rem, calc(100vh - 2rem));
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
    font: inherit;
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  [part~='dialog-header'] {
    display: flex;
    align-items: center;
    gap: var(--_im-space);
    padding: var(--_im-space) calc(var(--_im-space) * 1.5);
    border-bottom: 1px solid var(--_im-border);
  }
  [part~='dialog-title'] {
    flex: 1;
    margin: 0;
    font-size: 1.05em;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part~='dialog-close'] {
    padding: 2px 10px;
    font-size: 1.1em;
    line-height: 1;
  }
  [part~='dialog-body'] {
    flex: 1;
    min-height: 0;
    overflow: auto;
    padding: var(--_im-space) calc(var(--_im-space) * 1.5);
  }
  [part~='dialog-footer'] {
    display: flex;
    justify-content: flex-end;
    gap: var(--_im-space);
    padding: var(--_im-space) calc(var(--_im-space) * 1.5);
    border-top: 1px solid var(--_im-border);
  }
  .muted {
    color: var(--_im-muted);
  }
  .error {
    color: var(--_im-danger);
  }
`;
