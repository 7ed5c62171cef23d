package dev.keysmith;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/** A member's web session through the real sign-in form (MockMvc). */
final class SignedIn {

    private SignedIn() {
    }

    static MockHttpSession session(MockMvc mvc, String email, String password) throws Exception {
        MvcResult result = mvc.perform(post("/login").with(csrf()).param("email", email).param("password", password))
                .andExpect(redirectedUrl("/"))
                .andReturn();
        return (MockHttpSession) result.getRequest().getSession();
    }
}
