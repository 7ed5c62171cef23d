package dev.keysmith.keys.tenant;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.Credentials;
import dev.keysmith.keys.Inputs;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.Projections;
import dev.keysmith.keys.RandomIds;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantCommands.AddBrand;
import dev.keysmith.keys.TenantCommands.AddMember;
import dev.keysmith.keys.TenantCommands.ChangeMemberRole;
import dev.keysmith.keys.TenantCommands.ChangePlan;
import dev.keysmith.keys.TenantCommands.RecordPasswordChange;
import dev.keysmith.keys.TenantCommands.RegisterTenant;
import dev.keysmith.keys.TenantCommands.RemoveBrand;
import dev.keysmith.keys.TenantCommands.RemoveMember;
import dev.keysmith.keys.TenantId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.util.Optional;

@Service
class AccountService implements Accounts {

    private final CommandGateway commands;
    private final CredentialStore credentials;
    private final PasswordEncoder passwords;
    private final Projections projections;

    AccountService(CommandGateway commands, CredentialStore credentials, PasswordEncoder passwords,
                   Projections projections) {
        this.commands = commands;
        this.credentials = credentials;
        this.passwords = passwords;
        this.projections = projections;
    }

    @Override
    public SignUp signUp(String workspaceName, String ownerEmail, String password, Plan plan) {
        Inputs.Check check = new Inputs.Check();
        String name = check.get(() -> Inputs.workspaceName(workspaceName));
        String email = check.get(() -> Inputs.email(ownerEmail));
        check.get(() -> Inputs.password("password", password));
        if (plan == null) {
            check.get(() -> {
                throw new KeysmithException.InvalidInput("plan", "Choose a plan: Free, Pro or Enterprise.");
            });
        }
        check.done();
        TenantId tenantId = TenantId.generate();
        MemberId ownerId = MemberId.generate();
        String clientId = RandomIds.hex(24);
        long teamNumber = credentials.nextTeamNumber();
        claimEmail(ownerId, tenantId, email, password, false);
        dispatchOrRelease(ownerId, new RegisterTenant(tenantId, name, clientId, teamNumber, plan, ownerId, email));
        return new SignUp(tenantId, ownerId, clientId, teamNumber);
    }

    @Override
    public MemberId addMember(TenantId tenantId, String email, Role role, String initialPassword) {
        Inputs.Check check = new Inputs.Check();
        String normalised = check.get(() -> Inputs.email(email));
        check.get(() -> Inputs.password("password", initialPassword));
        if (role == null) {
            check.get(() -> {
                throw new KeysmithException.InvalidInput("role", "Choose a role: Owner, Admin, Developer or Auditor.");
            });
        }
        check.done();
        MemberId memberId = MemberId.generate();
        claimEmail(memberId, tenantId, normalised, initialPassword, true);
        dispatchOrRelease(memberId, new AddMember(tenantId, memberId, normalised, role));
        return memberId;
    }

    @Override
    public void changeRole(TenantId tenantId, MemberId memberId, Role role) {
        if (role == null) {
            throw new KeysmithException.InvalidInput("role", "Choose a role: Owner, Admin, Developer or Auditor.");
        }
        dispatch(new ChangeMemberRole(tenantId, memberId, role));
    }

    @Override
    public void removeMember(TenantId tenantId, MemberId memberId) {
        dispatch(new RemoveMember(tenantId, memberId));
        credentials.delete(memberId);
    }

    @Override
    public void changePassword(TenantId tenantId, MemberId memberId, String currentPassword, String newPassword) {
        Credentials current = credentials.byMember(memberId)
                .filter(found -> found.tenantId().equals(tenantId))
                .orElseThrow(() -> new KeysmithException.NotFound("member_not_found", "No such member."));
        if (currentPassword == null || !passwords.matches(currentPassword, current.passwordHash())) {
            throw new KeysmithException.InvalidInput("currentPassword", "The current password is not correct.");
        }
        Inputs.password("newPassword", newPassword);
        if (newPassword.equals(currentPassword)) {
            throw new KeysmithException.InvalidInput("newPassword",
                    "Choose a new password that differs from the current one.");
        }
        dispatch(new RecordPasswordChange(tenantId, memberId, current.mustChangePassword()));
        credentials.updatePassword(memberId, passwords.encode(newPassword));
    }

    @Override
    public void changePlan(TenantId tenantId, Plan plan) {
        if (plan == null) {
            throw new KeysmithException.InvalidInput("plan", "Choose a plan: Free, Pro or Enterprise.");
        }
        dispatch(new ChangePlan(tenantId, plan));
    }

    @Override
    public void addBrand(TenantId tenantId, String name) {
        dispatch(new AddBrand(tenantId, Inputs.brandName(name)));
    }

    @Override
    public void removeBrand(TenantId tenantId, String name) {
        dispatch(new RemoveBrand(tenantId, name));
    }

    @Override
    public Optional<Credentials> credentials(String email) {
        if (email == null || email.isBlank() || email.length() > Inputs.MAX_EMAIL) {
            return Optional.empty();
        }
        return credentials.byEmail(email.strip().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Optional<Credentials> credentials(MemberId memberId) {
        return credentials.byMember(memberId);
    }

    @Override
    public boolean passwordMatches(Credentials credentials, String password) {
        return password != null && passwords.matches(password, credentials.passwordHash());
    }

    private void claimEmail(MemberId memberId, TenantId tenantId, String email, String password, boolean mustChange) {
        if (!credentials.insert(memberId, tenantId, email, passwords.encode(password), mustChange)) {
            throw new KeysmithException.InvalidInput("email",
                    "An account with the email " + email + " already exists. Sign in instead, or use another email.");
        }
    }

    /** Dispatches a command that follows a credentials insert; on refusal the credentials are taken back. */
    private void dispatchOrRelease(MemberId claimed, Object command) {
        try {
            dispatch(command);
        } catch (RuntimeException e) {
            credentials.delete(claimed);
            throw e;
        }
    }

    private void dispatch(Object command) {
        commands.sendAndWait(command);
        projections.awaitCurrent();
    }
}
