/**
 * @dataflow/sdk: the contract between the dataflow engine and its plugins.
 * A plugin imports this package only.
 */
export { defineNode, defineSink, defineSource, isPluginDefinition } from './define.js'
export type {
  Invocation,
  InvocationOutcome,
  ItemHandler,
  NodeDefinition,
  NodeInstance,
  NodeOperator,
  PluginDefinition,
  Shard,
  SinkCheckpoint,
  SinkContext,
  SinkDefinition,
  SinkInstance,
  SinkRecord,
  SourceContext,
  SourceDefinition,
  SourceInstance,
  SourcePosition,
  SourceRecord,
} from './node-definition.js'
export type { IoContext, ItemContext, Logger, NodeContext } from './context.js'
export type { ItemData, NodeInput, NodeStatus, UpstreamResult } from './item.js'
export { mapInvocations } from './map-invocations.js'
export { openAdmissionLog, type AdmissionLog } from './admission-log.js'
export { isRejection, reject, type NodeOutput, type NodeResult, type Rejection } from './result.js'
export {
  DataflowError,
  ERROR_CODES,
  isDataflowError,
  toDataflowError,
  type DataflowErrorOptions,
  type ErrorCategory,
  type ErrorCode,
  type SerializedError,
} from './errors.js'
export {
  expressionField,
  modelField,
  outputPathField,
  pathField,
  templateField,
  type JsonSchema,
} from './json-schema.js'
export type { Expression, ExpressionCompiler } from './expression.js'
export {
  compileItemTemplate,
  templatePlaceholders,
  type ItemTemplate,
  type TemplatePlaceholder,
} from './item-template.js'
export {
  field,
  type ConfigField,
  type ConfigOf,
  type ConfigProperties,
  type FieldOptions,
  type ObjectOf,
} from './config/config-field.js'
export { validateConfig, type ConfigValidation } from './config/validate-config.js'
export { findOpenObjects } from './config/find-open-objects.js'
export {
  CONFIG_TABLE_END,
  CONFIG_TABLE_START,
  renderConfigTable,
  withConfigTable,
} from './config/render-config-table.js'
export { SPEC_VERSION, SUPPORTED_SPEC_VERSIONS } from './spec-version.js'
export type {
  CallOptions,
  ChatMessage,
  ChatRequest,
  ChatResult,
  ContentPart,
  InferenceClient,
  JsonChatRequest,
  JsonChatResult,
  TokenUsage,
} from './inference.js'
export type {
  FramePolicy,
  ImageChange,
  ImageInfo,
  ImagePolicy,
  ImageRef,
  MediaTools,
  PreparedMedia,
  VideoInfo,
  VideoRef,
} from './media.js'
export { IMAGE_CHANGES } from './media.js'
export { mediaFirst, readPreparedMedia, renderTemplate } from './content.js'
export { isContainerLocator, toMediaLocation, toMediaLocator, type MediaLocation } from './media-locator.js'
export { answerUsageProperties, toAnswerUsage, type AnswerUsage } from './answer-usage.js'
export { createPromptLoader, isPromptFile, loadPromptSetting, type PromptLoader } from './prompt.js'
export { createFileWriter, type FileWriter, type FileWriterOptions } from './file-writer.js'
export { createRecordWriter, toShardPath, type RecordWriter, type RecordWriterOptions } from './record-writer.js'
export { parsePath, readPath } from './path.js'
export { expandFilePatterns, type ExpandFilePatternsOptions } from './expand-file-patterns.js'
export { createHistogram, type Histogram, type HistogramSummary } from './histogram.js'
export { createReplayInference } from './tape/replay-inference.js'
export { createRecordingInference } from './tape/recording-inference.js'
export {
  createRecordingWriter,
  readRecording,
  type RecordedAnswer,
  type RecordedExchange,
  type Recording,
  type RecordingWriter,
} from './tape/recording.js'
export { requestKey, toRecordedRequest, type RecordedPart, type RecordedRequest } from './tape/request-key.js'
