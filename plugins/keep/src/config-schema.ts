import { expressionField, templateField, type JsonSchema } from '@dataflow/sdk'

/** The keep node's `with:`: exactly one of `keepIf` and `rejectIf`. */
export interface KeepConfig {
  /** Keep the item when this expression holds; reject it otherwise. */
  keepIf?: string
  /** Reject the item when this expression holds; keep it otherwise. */
  rejectIf?: string
  /**
   * The rejection reason, with `{{path}}` placeholders. Default: the rule and the values it read,
   * e.g. `rejectIf "classify.label == 'spam'" held (classify.label = "spam")`.
   */
  reason?: string
}

/** JSON Schema of the keep node's `with:`. */
export const keepConfigSchema: JsonSchema = {
  type: 'object',
  description: 'Exactly one of `keepIf` and `rejectIf`, and optionally the `reason` written for rejected items.',
  properties: {
    keepIf: expressionField(
      "Keep the item when this `when`-language expression holds, e.g. `classify.label != 'spam' and item.lang == 'en'`; reject it otherwise.",
    ),
    rejectIf: expressionField('Reject the item when this expression holds; keep it otherwise.'),
    reason: templateField(
      'Reason written for a rejected item; `{{path}}` placeholders read the item, e.g. "label {{classify.label}}". Default: the rule and the values it read.',
    ),
  },
  oneOf: [{ required: ['keepIf'] }, { required: ['rejectIf'] }],
  additionalProperties: false,
}
