import type { MessageInstance } from 'antd/es/message/interface';
import type { HookAPI as ModalApi } from 'antd/es/modal/useModal';
import { createContext, lazy, Suspense, useCallback, useContext, useMemo, useRef, useState } from 'react';

/** antd's message and confirm dialogs, rendered inside our ConfigProvider (theme, locale). */
export interface Holders {
  message: MessageInstance;
  modal: ModalApi;
}

/**
 * What a screen uses to say that something was done or refused, and to ask for a confirmation.
 * antd's `App` renders these holders (and the notification's) from the first paint, although no
 * screen needs them before an action: they load with the first message or dialog instead.
 */
export interface Feedback {
  message: Record<'success' | 'error' | 'warning' | 'info', (content: string) => Promise<void>>;
  modal: { confirm(props: Parameters<ModalApi['confirm']>[0]): Promise<void> };
}

const FeedbackHolders = lazy(() => import('./FeedbackHolders'));
const FeedbackContext = createContext<Feedback | null>(null);

export function FeedbackProvider({ children }: { children: React.ReactNode }) {
  const [wanted, setWanted] = useState(false);
  const ready = useRef<{ promise: Promise<Holders>; resolve: (holders: Holders) => void } | null>(null);
  const holders = useCallback((): Promise<Holders> => {
    if (!ready.current) {
      let resolve!: (holders: Holders) => void;
      const promise = new Promise<Holders>((r) => (resolve = r));
      ready.current = { promise, resolve };
      setWanted(true);
    }
    return ready.current.promise;
  }, []);
  const feedback = useMemo<Feedback>(() => {
    const say = (type: 'success' | 'error' | 'warning' | 'info') => (content: string) =>
      holders().then((h) => void h.message[type](content));
    return {
      message: { success: say('success'), error: say('error'), warning: say('warning'), info: say('info') },
      modal: { confirm: (props) => holders().then((h) => void h.modal.confirm(props)) },
    };
  }, [holders]);
  return (
    <FeedbackContext.Provider value={feedback}>
      {children}
      {wanted && (
        <Suspense fallback={null}>
          <FeedbackHolders onReady={(h) => ready.current?.resolve(h)} />
        </Suspense>
      )}
    </FeedbackContext.Provider>
  );
}

/** The screen's messages and confirmations (see FeedbackProvider). */
export function useFeedback(): Feedback {
  const feedback = useContext(FeedbackContext);
  if (!feedback) throw new Error('useFeedback outside FeedbackProvider');
  return feedback;
}
