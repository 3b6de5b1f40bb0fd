import { message, Modal } from 'antd';
import { useEffect } from 'react';
import type { Holders } from './feedback';

/** antd's message and dialog holders, loaded with the first message a screen shows (feedback.tsx). */
export default function FeedbackHolders({ onReady }: { onReady: (holders: Holders) => void }) {
  const [messageApi, messageHolder] = message.useMessage();
  const [modalApi, modalHolder] = Modal.useModal();
  useEffect(() => onReady({ message: messageApi, modal: modalApi }), [onReady, messageApi, modalApi]);
  return (
    <>
      {messageHolder}
      {modalHolder}
    </>
  );
}
