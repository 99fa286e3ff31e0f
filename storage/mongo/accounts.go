package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"shenbao/intake"
)

// CreateUser stores a new user. It returns ErrInvalid without an id or login, and ErrConflict if the id
// or (by the unique index) the login is used.
func (s *Store) CreateUser(ctx context.Context, u *intake.User) error {
	if u.ID == "" || u.Login == "" {
		return fmt.Errorf("mongo create user: no id or login: %w", intake.ErrInvalid)
	}
	_, err := s.users.InsertOne(ctx, userRecordOf(u))
	return wrap(err, "create user %s", u.ID)
}

// GetUser returns ErrNotFound if there is no user with that id.
func (s *Store) GetUser(ctx context.Context, id string) (*intake.User, error) {
	return s.findUser(ctx, bson.D{{Key: "_id", Value: id}}, "get user "+id)
}

// GetUserByLogin returns ErrNotFound if no user has exactly that login.
func (s *Store) GetUserByLogin(ctx context.Context, login string) (*intake.User, error) {
	return s.findUser(ctx, bson.D{{Key: "login", Value: login}}, "get user by login "+login)
}

func (s *Store) findUser(ctx context.Context, filter bson.D, op string) (*intake.User, error) {
	var r userRecord
	if err := s.users.FindOne(ctx, filter).Decode(&r); err != nil {
		return nil, wrap(err, "%s", op)
	}
	return r.user(), nil
}

// ListUsers returns users ordered by login (bytewise), and the total count.
func (s *Store) ListUsers(ctx context.Context, opt intake.ListOptions) ([]*intake.User, int, error) {
	limit, offset := page(opt)
	total, err := s.users.CountDocuments(ctx, bson.D{})
	if err != nil {
		return nil, 0, wrap(err, "count users")
	}
	find := options.Find().SetSort(bson.D{{Key: "login", Value: 1}}).SetSkip(int64(offset)).SetLimit(int64(limit))
	cur, err := s.users.Find(ctx, bson.D{}, find)
	if err != nil {
		return nil, 0, wrap(err, "list users")
	}
	var rs []userRecord
	if err := cur.All(ctx, &rs); err != nil {
		return nil, 0, wrap(err, "list users")
	}
	list := make([]*intake.User, len(rs))
	for i, r := range rs {
		list[i] = r.user()
	}
	return list, int(total), nil
}

// UpdateUser replaces a stored user. It returns ErrNotFound if it does not exist and ErrInvalid if it
// would change the login.
func (s *Store) UpdateUser(ctx context.Context, u *intake.User) error {
	res, err := s.users.ReplaceOne(ctx, bson.D{{Key: "_id", Value: u.ID}, {Key: "login", Value: u.Login}}, userRecordOf(u))
	if err != nil {
		return wrap(err, "update user %s", u.ID)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	old, err := s.GetUser(ctx, u.ID)
	if err != nil {
		return err
	}
	return fmt.Errorf("mongo update user %s: login %q may not change to %q: %w", u.ID, old.Login, u.Login, intake.ErrInvalid)
}

// CreateSession stores a new session. It returns ErrInvalid without an id, and ErrConflict if the id is
// used.
func (s *Store) CreateSession(ctx context.Context, ss *intake.Session) error {
	if ss.ID == "" {
		return fmt.Errorf("mongo create session: no id: %w", intake.ErrInvalid)
	}
	_, err := s.sessions.InsertOne(ctx, sessionRecordOf(ss))
	return wrap(err, "create session of user %s", ss.UserID)
}

// GetSession returns ErrNotFound if there is no session with that id. A session past its expiry may be
// gone already: the server removes those (the TTL index on expires_at).
func (s *Store) GetSession(ctx context.Context, id string) (*intake.Session, error) {
	var r sessionRecord
	if err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, wrap(err, "get session")
	}
	return r.session(), nil
}

// TouchSession sets a session's LastSeen. It returns ErrNotFound if it does not exist.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: at}}}}
	res, err := s.sessions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update)
	if err != nil {
		return wrap(err, "touch session")
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("mongo touch session: %w", intake.ErrNotFound)
	}
	return nil
}

// DeleteSession removes a session; removing one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return wrap(err, "delete session")
}

// DeleteUserSessions removes every session of a user of the given kind ("" for all) except keep, and
// returns how many it removed.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string, kind intake.SessionKind, keep string) (int, error) {
	filter := bson.D{{Key: "user_id", Value: userID}}
	if kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: string(kind)})
	}
	if keep != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}})
	}
	res, err := s.sessions.DeleteMany(ctx, filter)
	if err != nil {
		return 0, wrap(err, "delete sessions of user %s", userID)
	}
	return int(res.DeletedCount), nil
}

type userRecord struct {
	ID           string    `bson:"_id"`
	Login        string    `bson:"login"`
	Name         string    `bson:"name"`
	Role         string    `bson:"role"`
	Region       string    `bson:"region"`
	PasswordHash string    `bson:"password_hash"`
	Disabled     bool      `bson:"disabled"`
	FailedLogins int       `bson:"failed_logins"`
	LockedUntil  time.Time `bson:"locked_until"`
	CreatedAt    time.Time `bson:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at"`
}

func userRecordOf(u *intake.User) userRecord {
	return userRecord{
		ID: u.ID, Login: u.Login, Name: u.Name, Role: string(u.Role), Region: u.Region, PasswordHash: u.PasswordHash,
		Disabled: u.Disabled, FailedLogins: u.FailedLogins, LockedUntil: u.LockedUntil,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

func (r userRecord) user() *intake.User {
	return &intake.User{
		ID: r.ID, Login: r.Login, Name: r.Name, Role: intake.Role(r.Role), Region: r.Region, PasswordHash: r.PasswordHash,
		Disabled: r.Disabled, FailedLogins: r.FailedLogins, LockedUntil: utc(r.LockedUntil),
		CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt),
	}
}

type sessionRecord struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"user_id"`
	Kind      string    `bson:"kind"`
	Label     string    `bson:"label"`
	CSRF      string    `bson:"csrf"`
	CreatedAt time.Time `bson:"created_at"`
	LastSeen  time.Time `bson:"last_seen"`
	ExpiresAt time.Time `bson:"expires_at"`
}

func sessionRecordOf(s *intake.Session) sessionRecord {
	return sessionRecord{
		ID: s.ID, UserID: s.UserID, Kind: string(s.Kind), Label: s.Label, CSRF: s.CSRF,
		CreatedAt: s.CreatedAt, LastSeen: s.LastSeen, ExpiresAt: s.ExpiresAt,
	}
}

func (r sessionRecord) session() *intake.Session {
	return &intake.Session{
		ID: r.ID, UserID: r.UserID, Kind: intake.SessionKind(r.Kind), Label: r.Label, CSRF: r.CSRF,
		CreatedAt: utc(r.CreatedAt), LastSeen: utc(r.LastSeen), ExpiresAt: utc(r.ExpiresAt),
	}
}
