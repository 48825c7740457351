// Starting points for a project's template (docs/api.md "Templates").

export const pairwisePreset = {
  fields: [
    { id: 'prompt', type: 'text', label: 'User prompt', source: 'prompt' },
    { id: 'answers', type: 'side_by_side', label: 'Responses', sources: ['response_a', 'response_b'], labels: ['Response A', 'Response B'] },
  ],
  questions: [
    { id: 'preference', type: 'pairwise', prompt: 'Which response is better?', strength: true, rationale: { required: false, maxLength: 2000 }, required: true },
  ],
};

export const classificationPreset = {
  fields: [{ id: 'text', type: 'text', label: 'Text', source: 'text' }],
  questions: [
    {
      id: 'label',
      type: 'single_choice',
      prompt: 'Which category fits best?',
      options: [
        { value: 'positive', label: 'Positive' },
        { value: 'neutral', label: 'Neutral' },
        { value: 'negative', label: 'Negative' },
      ],
      required: true,
    },
  ],
};

export const presetJson = (p: unknown) => JSON.stringify(p, null, 2);
