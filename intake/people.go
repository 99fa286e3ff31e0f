package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Role is what a person may do in Shenbao. The table of who may do what lives in access.go.
type Role string

const (
	RoleApplicant   Role = "applicant"   // 申报单位: its own applications
	RoleRecommender Role = "recommender" // 地市经信局 / 园区管委会: the applications of its region or park
	RoleExpert      Role = "expert"      // 专家: the applications assigned to it
	RoleStaff       Role = "staff"       // 经信厅: everything; rounds, decisions, accounts
	RoleAuditor     Role = "auditor"     // 审计: everything, read-only
)

// Roles lists the roles in the order the UI offers them.
var Roles = []Role{RoleApplicant, RoleRecommender, RoleExpert, RoleStaff, RoleAuditor}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleApplicant:
		return "申报单位"
	case RoleRecommender:
		return "推荐单位"
	case RoleExpert:
		return "评审专家"
	case RoleStaff:
		return "经信厅工作人员"
	case RoleAuditor:
		return "审计人员"
	}
	return string(r)
}

// Principal is who is acting, as the edge authenticated it: from a browser session, a bearer token, or
// (later) an external identity provider that maps its claims onto these fields. Every use case of the
// Service takes one; the domain never looks at passwords or cookies.
type Principal struct {
	UserID string
	Name   string
	Role   Role
	Region string // a recommender's prefecture (地市) or park (园区)
}

// System is the principal of the service itself (expiries) and of the command line (`shenbao user add`).
var System = Principal{UserID: "system", Name: "系统", Role: RoleStaff}

// Actor is who did something, as recorded: the principal at the time.
type Actor struct {
	ID   string
	Name string
	Role Role
}

func (p Principal) actor() Actor { return Actor{ID: p.UserID, Name: p.Name, Role: p.Role} }

// User is a local account.
type User struct {
	ID           string
	Login        string // unique, lower case
	Name         string // shown to others: a person's or an organisation's name
	Role         Role
	Region       string // recommenders: the region or park whose applications they see
	PasswordHash string // argon2id in the PHC string format; never the password
	Disabled     bool
	FailedLogins int       // consecutive failed logins
	LockedUntil  time.Time // logins refused until then after too many failures
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Principal is the user as a principal.
func (u *User) Principal() Principal {
	return Principal{UserID: u.ID, Name: u.Name, Role: u.Role, Region: u.Region}
}

// SessionKind tells a browser session from a program's bearer token.
type SessionKind string

const (
	SessionBrowser SessionKind = "browser" // a cookie; idle and absolute expiry; CSRF token
	SessionAPI     SessionKind = "api"     // a bearer token for programs; absolute expiry only
)

// Session is a signed-in browser or a program's token. Only the SHA-256 of the token is kept, so that
// a copy of the store does not let anyone in.
type Session struct {
	ID        string // hex SHA-256 of the token
	UserID    string
	Kind      SessionKind
	Label     string // an API token's purpose, as its owner named it
	CSRF      string // browser sessions: the token every state-changing request must carry
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // absolute
}

// Event is one recorded action: who did what to which object, and for a transition from which state
// to which. Seq numbers events 1, 2, 3… in the order the store appended them.
type Event struct {
	Seq           int64
	At            time.Time
	Actor         Actor
	Action        string // e.g. "application.submit", "document.upload", "user.login"
	ApplicationID string // "" for events of no application
	Object        string // the document, user or round acted on, if not the application itself
	From, To      State  // for transitions
	Comment       string
	Digest        string // SHA-256 of what the action left (the application or document as stored), if any
	Prev          string // Hash of the event before (Seq-1); "" for the first
	Hash          string // EventHash of this event: set by the store as it appends
}

// EventHash is the SHA-256 (hex) of an event's content together with the hash of the event before
// it: the link of the log's chain. Changing any field of an event changes its hash, and so breaks the
// link the next event holds; removing one leaves a gap in Seq. Times count to the millisecond (what
// every store keeps).
func EventHash(e *Event) string {
	h := sha256.New()
	json.NewEncoder(h).Encode([]any{1, e.Seq, e.At.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano),
		e.Actor.ID, e.Actor.Name, string(e.Actor.Role), e.Action, e.ApplicationID, e.Object,
		string(e.From), string(e.To), e.Comment, e.Digest, e.Prev})
	return hex.EncodeToString(h.Sum(nil))
}

// EventQuery selects events: of one application ("" for all), newest first, paged.
type EventQuery struct {
	ApplicationID string
	ListOptions
}

// Round is the yearly call for applications (第二十条): submissions are accepted from Opens until the
// end of the day Closes.
type Round struct {
	Year      int
	Opens     time.Time
	Closes    time.Time
	Notice    string // the call's title or number, e.g. 藏经信发〔2026〕12号
	OpenedBy  Actor
	CreatedAt time.Time
}

// Open reports whether submissions are accepted at t.
func (r *Round) Open(t time.Time) bool {
	return !t.Before(r.Opens) && t.Before(r.Closes.AddDate(0, 0, 1))
}
