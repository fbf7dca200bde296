import { expressionField, field, templateField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the keep node's `with:`: exactly one of `keepIf` and `rejectIf`; {@link KeepConfig} is inferred from it. */
export const keepConfigSchema = field.object(
  {
    keepIf: expressionField(
      "Keep the item when this `when`-language expression holds, e.g. `classify.label != 'spam' and item.lang == 'en'`; reject it otherwise.",
    ),
    rejectIf: expressionField('Reject the item when this expression holds; keep it otherwise.'),
    reason: templateField(
      'Reason written for a rejected item; `{{path}}` placeholders read the item, e.g. "label {{classify.label}}". Default: the rule and the values it read.',
    ),
  },
  {
    description: 'Exactly one of `keepIf` and `rejectIf`, and optionally the `reason` written for rejected items.',
    oneOf: [{ required: ['keepIf'] }, { required: ['rejectIf'] }],
  },
)

/** The keep node's `with:`. */
export type KeepConfig = ConfigOf<typeof keepConfigSchema>
