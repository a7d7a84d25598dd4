/**
 * `@pusher-auth-server/channel-auth/http`: the HTTP edge the middleware is built from, for apps
 * that want the same answers on routes of their own: one error type and registry of codes, the
 * content-type, size and syntax checks in that order, zod validation into one 400, and a capped
 * reader for upstream answers.
 */
export { API_ANSWER_HEADERS, ERROR_CODES, HttpError, httpErrorOf, isClientAbort, type ErrorBody, type ErrorCode } from './errors.js';
export { parseBody, type BodyOptions } from './body.js';
export { FORM_TYPE, JSON_TYPE, hasBody, parseContentType, requireContentType } from './content-type.js';
export { invalidRequest, validate, type FieldProblem } from './validate.js';
export { readCappedChunks, readCappedText } from './capped-body.js';
export { refusalError } from '../answers.js';
export { channelNameProblem, socketIdProblem } from '../requests.js';
export { answerAuthRoute, PUSHER_AUTH_PATHS, type AuthRoute } from './auth-route.js';
export type { BodySource } from './read-request.js';
