import { Button, Card, Form, Input, InputNumber, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useFormMutation } from '../../app/forms';

interface RatingForm {
  rating: number;
  comment?: string;
}

/**
 * A colleague's 360 rating, given from the inbox. A peer may not read the appraisal (nor its
 * revision), so the rating is sent without `If-Match`: it adds to the appraisal and overwrites
 * nothing, and a second one is refused (409). The scale is the workflow's: the API checks it and
 * its field error lands on the field.
 */
export function PeerRatingPage() {
  const { t } = useTranslation();
  const { appraisalId } = useParams();
  const [search] = useSearchParams();
  const subject = search.get('subject') ?? '';
  const { message } = useFeedback();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<RatingForm>();
  const rate = useFormMutation(form, {
    mutationFn: (values: RatingForm) =>
      ok(
        api.POST('/appraisals/{appraisalId}/submit-rating', {
          params: { path: { appraisalId: appraisalId! } },
          body: {
            group: 'peer',
            rating: values.rating,
            ...(values.comment ? { comment: values.comment } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('yearEnd.rated'));
      await client.invalidateQueries({ queryKey: ['inbox'] });
      navigate('/app/inbox');
    },
  });
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('yearEnd.rate', { name: subject })}
      </Typography.Title>
      <Typography.Paragraph>{t('yearEnd.peerIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => rate.mutate(values)}>
        <Form.Item name="rating" label={t('yearEnd.peerRating')} rules={[{ required: true }]}>
          {/* Typed: the spinner's buttons are mouse-only, Tab skips them. */}
          <InputNumber controls={false} />
        </Form.Item>
        <Form.Item name="comment" label={t('review.comment')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={rate.isPending}>
          {t('yearEnd.submitRating')}
        </Button>
      </Form>
    </Card>
  );
}
