/** HTTP API refusals. Like Pusher, their bodies are plain text. */
type ApiStatus = 400 | 401 | 403 | 404 | 405 | 413;

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const unauthorized = (message: string): ApiError => new ApiError(401, message);
export const tooLarge = (message: string): ApiError => new ApiError(413, message);
