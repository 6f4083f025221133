import type { UserEntity } from '@app/identity';

/** `GET/PATCH {issuer}/account`: the user's own profile, with its standard claims by their claim names. */
export function accountProfile(user: UserEntity) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    locale: user.locale,
    picture: user.picture,
  };
}
