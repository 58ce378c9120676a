// A modal built on <dialog>: the browser traps focus, Escape cancels, and the page behind is inert. Open, the
// element marked data-autofocus has the keyboard; closed, it goes back to what opened it (else the selected tab).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { returnFocus, selectedTab } from './focus-return';

export function Modal({
  title,
  onCancel,
  children,
}: {
  title: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Read at the first render, before anything inside (an autoFocus field) takes the focus.
  const [opener] = useState(() => document.activeElement);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // React's autoFocus ran while the dialog was still closed (a no-op), and showModal() then focused the first
      // button: "Close session" in the question whose safe answer is "Keep it open". The field or button meant to
      // take the keyboard says so with data-autofocus.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => {
      dialog?.close();
      // The opener may have gone with the dialog's action (a closed session's tab): then the selected tab.
      returnFocus(opener, selectedTab);
    };
  }, [opener]);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}
