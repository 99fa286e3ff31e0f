package intake

import "errors"

// Sentinel errors of the domain. Backends translate their drivers' errors into these; the api maps them
// to HTTP statuses once, at the edge.
var (
	ErrNotFound    = errors.New("not found")
	ErrConflict    = errors.New("already exists")
	ErrInvalid     = errors.New("invalid argument")
	ErrUnsupported = errors.New("unsupported file type")
	ErrTooLarge    = errors.New("file too large")
	ErrEmpty       = errors.New("empty file")
	ErrUnavailable = errors.New("backend unavailable")
)

// Error carries a machine code and a message for people (Chinese) beside the sentinel it wraps.
type Error struct {
	Code    string // stable, e.g. "unsupported_type"
	Message string // Chinese, for the applicant
	Err     error  // one of the sentinels
}

func (e *Error) Error() string { return e.Code + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Sentinels of access and of the cycle.
var (
	ErrUnauthenticated = errors.New("not signed in")
	ErrForbidden       = errors.New("forbidden")
	ErrTooMany         = errors.New("too many attempts")
	// ErrState: the action is not possible in the application's state (HTTP 409).
	ErrState = errors.New("not possible in this state")
	// ErrCorrupt: a stored original is missing or no longer what was uploaded (HTTP 500, logged).
	ErrCorrupt = errors.New("stored original corrupt")
)

func forbidden(msg string) error { return &Error{Code: "forbidden", Message: msg, Err: ErrForbidden} }
